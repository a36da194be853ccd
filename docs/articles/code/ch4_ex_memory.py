"""第 4 章练习 1：权重与训练状态所需的显存（1 GB = 10^9 字节）。只用标准库。"""

BYTES_FP16 = 2
BYTES_ADAM_MIXED = 2 + 2 + 12  # FP16 权重 + FP16 梯度 + FP32 权重副本与两个矩（ZeRO 论文）

n = 13e9
weights = n * BYTES_FP16 / 1e9
train = n * BYTES_ADAM_MIXED / 1e9
print(f"130 亿参数，FP16 权重：{weights:.0f} GB")
print(f"130 亿参数，混合精度 Adam 训练的模型状态：{train:.0f} GB")
print(f"训练状态是 FP16 权重的 {train / weights:.0f} 倍")
assert train / weights == 8

# 稀疏 MoE：DeepSeek-V3 总参数 671B、每词元激活 37B，FP8 每参数 1 字节
total, active = 671e9, 37e9
print(f"DeepSeek-V3 FP8 权重按总参数存放：{total / 1e9:.0f} GB，"
      f"若只存激活参数只需 {active / 1e9:.0f} GB")
assert total > 18 * active
