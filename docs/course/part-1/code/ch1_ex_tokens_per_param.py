"""练习：每个参数训练了多少词元，以及同样的计算量按 Chinchilla 配比（约 20 词元/参数）应训练多大的模型。"""

import math

runs = {  # 参数量, 训练词元数（各自论文）
    "Chinchilla 70B": (70e9, 1.4e12),
    "LLaMA-65B": (65.2e9, 1.4e12),
    "Llama 3 405B": (405e9, 15.6e12),
    "Llama 3 8B": (8e9, 15e12),
}
for name, (n, d) in runs.items():
    print(f"{name}：每参数 {d / n:,.0f} 个词元")

n, d = runs["Llama 3 8B"]
c = 6 * n * d
n_opt = math.sqrt(c / (6 * 20))  # 由 C = 6 N D 与 D = 20 N 解出 N
print(f"Llama 3 8B 的计算量 {c:.2g} FLOPs 按 20 词元/参数应训练 {n_opt / 1e9:.0f}B 参数、{20 * n_opt / 1e12:.2f}T 词元；8B 模型是它的 {n / n_opt:.0%}")
assert abs(6 * n_opt * 20 * n_opt - c) / c < 1e-9
assert round(d / n) == 1875
