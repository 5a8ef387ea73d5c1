import Tensor
print(BLASInfo.coreName)
