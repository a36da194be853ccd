"""第 4 章示例：稀疏混合专家（MoE）模型的总参数与激活参数。

每个词元只经过少数专家，训练与推理的算力按激活参数计（C ≈ 6 N_active D），
但全部专家的权重都要存放，显存按总参数计。数字取自各模型的技术报告：
Mixtral 8x7B（Jiang et al., 2024）、DeepSeek-V3（DeepSeek-AI, 2024）、
Llama 3 405B（Grattafiori et al., 2024）。只用标准库，运行时间远小于 1 秒。
"""

MODELS = {
    # 名称：(总参数, 每词元激活参数, 训练词元数或 None)
    "Mixtral 8x7B": (47e9, 13e9, None),
    "DeepSeek-V3": (671e9, 37e9, 14.8e12),
    "Llama 3 405B（稠密）": (405e9, 405e9, 15.6e12),
}


def train_flops(n_active: float, tokens: float) -> float:
    """C ≈ 6 N D，N 取每词元真正参与计算的参数量。"""
    return 6.0 * n_active * tokens


for name, (total, active, _) in MODELS.items():
    share = active / total
    print(f"{name}: 总参数 {total / 1e9:.0f}B，激活 {active / 1e9:.0f}B，"
          f"每词元只用 {share:.1%} 的参数；"
          f"BF16 权重 {total * 2 / 1e9:.0f} GB，FP8 权重 {total / 1e9:.0f} GB")
    assert 0 < share <= 1

total, active, tokens = MODELS["DeepSeek-V3"]
c_moe = train_flops(active, tokens)
c_dense = train_flops(total, tokens)  # 假如 671B 参数全部参与每个词元的计算
print(f"DeepSeek-V3 预训练算力（按激活参数）：{c_moe:.2e} FLOPs")
print(f"同样参数量的稠密模型：{c_dense:.2e} FLOPs，是前者的 {c_dense / c_moe:.1f} 倍")
assert abs(c_dense / c_moe - total / active) < 1e-9  # 倍数恰为总参数/激活参数

# 报告表 1：全部训练 278.8 万 H800 GPU 小时，其中预训练 266.4 万；
# 上面的 6ND 只算预训练，所以只除以预训练的 GPU 小时
gpu_hours = 2.664e6
per_gpu = c_moe / (gpu_hours * 3600)
print(f"按预训练的 {gpu_hours / 1e6:.3f}M GPU 小时平均，每块 GPU 的有效算力约 {per_gpu / 1e12:.0f} TFLOP/s")

_, _, llama_tokens = MODELS["Llama 3 405B（稠密）"]
c_llama = train_flops(405e9, llama_tokens)
print(f"Llama 3 405B 预训练算力（6ND）：{c_llama:.2e} FLOPs，"
      f"约为 DeepSeek-V3 的 {c_llama / c_moe:.1f} 倍")
assert c_llama > c_moe
