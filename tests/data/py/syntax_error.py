print("this line is fine")
print("this one is not"
x = = 1
