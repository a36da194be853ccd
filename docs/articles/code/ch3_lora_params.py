"""第 3 章示例：BERT-base 的参数量，以及 LoRA 只训练多少参数（纯标准库）。

BERT-base 的配置：词表 30522、最大位置 512、句段类型 2、隐藏维 768、12 层、前馈维 3072。
LoRA 把某个 d×k 权重的更新写成 B A（B 为 d×r，A 为 r×k），只训练 A、B；
这里按 LoRA 论文的常用做法只改注意力的 W_q 和 W_v，秩 r = 8。
"""
V, P, T, H, LAYERS, FF = 30522, 512, 2, 768, 12, 3072

embeddings = V * H + P * H + T * H + 2 * H                 # 三种嵌入 + LayerNorm
attention = 4 * (H * H + H) + 2 * H                         # Q、K、V、输出投影 + LayerNorm
ffn = (H * FF + FF) + (FF * H + H) + 2 * H                  # 两个全连接 + LayerNorm
pooler = H * H + H                                          # [CLS] 上的 tanh 全连接
total = embeddings + LAYERS * (attention + ffn) + pooler
print(f"BERT-base 参数量 {total:,}（约 {total / 1e8:.2f} 亿）")
assert total == 109_482_240

r = 8
lora = LAYERS * 2 * (H * r + r * H)                         # 每层 W_q、W_v 各一对 A、B
print(f"LoRA(r={r}, W_q 与 W_v) 可训练参数 {lora:,}，占全部参数的 {lora / total:.4%}")
print(f"按 FP32 存储：完整副本 {total * 4 / 1e6:.0f} MB，LoRA 增量 {lora * 4 / 1e6:.2f} MB")
assert lora == 294_912

# QLoRA：650 亿参数的权重在 16 位与 4 位下各占多少（不计量化常数、激活和优化器状态）
n = 65e9
print(f"650 亿参数：16 位 {n * 2 / 1e9:.1f} GB，4 位 {n * 0.5 / 1e9:.1f} GB")
assert n * 0.5 / 1e9 < 48
print("全部检查通过。")
