# café in Latin-1: not UTF-8
print("café")
