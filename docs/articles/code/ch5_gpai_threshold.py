"""用训练计算量 C ≈ 6ND 对照欧盟《人工智能法》第 51(2) 条的 10^25 FLOPs 推定门槛。

N 为参数量，D 为训练词元数。GPT-3 的 N、D 取自其论文；另两行是假设的模型，仅作演示。
"""

THRESHOLD = 1e25  # 第 51(2) 条：训练累计计算量大于 10^25 次浮点运算时，推定具有“高影响能力”


def train_flops(n_params, n_tokens):
    return 6 * n_params * n_tokens


models = [
    ("GPT-3（1750 亿参数，3000 亿词元）", 175e9, 300e9),
    ("假设模型 A（700 亿参数，15 万亿词元）", 70e9, 15e12),
    ("假设模型 B（4000 亿参数，15 万亿词元）", 400e9, 15e12),
]
for name, n, d in models:
    c = train_flops(n, d)
    flag = "超过" if c > THRESHOLD else "低于"
    print(f"{name}：C ≈ {c:.2e} FLOPs，{flag}门槛（门槛的 {c / THRESHOLD:.3g} 倍）")

gpt3 = train_flops(175e9, 300e9)
assert abs(gpt3 - 3.15e23) < 1e21          # 与论文表 D.1 的 3.14e23 同一算法
assert train_flops(70e9, 15e12) < THRESHOLD < train_flops(400e9, 15e12)

# 固定参数量，需要多少词元才跨过门槛：D = 10^25 / (6N)
d_cross = THRESHOLD / (6 * 70e9)
assert abs(train_flops(70e9, d_cross) / THRESHOLD - 1) < 1e-12
print(f"700 亿参数的模型要训练约 {d_cross / 1e12:.1f} 万亿词元，计算量才达到 10^25 FLOPs")
