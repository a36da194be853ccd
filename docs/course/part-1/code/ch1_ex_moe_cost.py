"""练习：稀疏 MoE 的存储看总参数，每个词元的计算看激活参数（DeepSeek-V3：671B / 37B）。"""

total, active = 671e9, 37e9
weights_bf16 = 2 * total  # 推理时全部专家的权重都要放在显存里
flops_per_token = 2 * active  # 前向传播约 2 × 激活参数 次运算
dense_flops = 2 * total
print(f"BF16 权重：{weights_bf16 / 1e12:.2f} TB，至少 {weights_bf16 / 80e9:.0f} 块 80 GB GPU")
print(f"每个词元前向约 {flops_per_token:.2g} FLOPs，是同样总参数的稠密模型的 1/{dense_flops / flops_per_token:.1f}")
print(f"每个词元激活的参数占 {active / total:.1%}")
assert weights_bf16 / 80e9 > 16 and dense_flops / flops_per_token > 18
