"""训练显存中的“模型状态”：混合精度 Adam 与纯 FP32 Adam 每个参数各需多少字节（Rajbhandari 等 2020）。"""

N = 7e9  # 70 亿参数

fp32_adam = {"FP32 权重": 4, "FP32 梯度": 4, "Adam 一阶矩": 4, "Adam 二阶矩": 4}
mixed_adam = {"FP16/BF16 权重": 2, "FP16/BF16 梯度": 2, "FP32 主权重": 4, "Adam 一阶矩": 4, "Adam 二阶矩": 4}

for name, parts in (("纯 FP32 + Adam", fp32_adam), ("混合精度 + Adam", mixed_adam)):
    per_param = sum(parts.values())
    print(f"{name}：每参数 {per_param} 字节，{N / 1e9:.0f}B 模型的模型状态约 {per_param * N / 1e9:.0f} GB")

assert sum(fp32_adam.values()) == sum(mixed_adam.values()) == 16  # 模型状态并不因混合精度而减少

# 混合精度省下的是激活值：同样的激活值个数，FP16/BF16 只占 FP32 的一半
activations = 2e10  # 假设的激活值个数（示意，取决于批量、序列长度和层数）
print(f"激活值 {activations:.0e} 个：FP32 约 {4 * activations / 1e9:.0f} GB，FP16/BF16 约 {2 * activations / 1e9:.0f} GB")

# 推理只需权重：BF16 每参数 2 字节，INT8 1 字节，INT4 0.5 字节
for name, nbytes in (("BF16", 2), ("INT8", 1), ("INT4", 0.5)):
    print(f"推理权重（{name}）：约 {nbytes * N / 1e9:.1f} GB")
assert 0.5 * N / 1e9 == 3.5
