"""第 4 章示例：Chinchilla 参数化拟合的最优参数量对常数舍入有多敏感。

论文正文给出 α = 0.34、β = 0.28（两位小数，Hoffmann et al., 2022）。Besiroglu 等人（2024）
指出，正文中舍入后的常数会使缩放定律的预测产生显著偏差。这里只做一件事：
让 α、β 在各自的舍入区间内取值，看 Chinchilla 算力预算下的最优参数量变化多大。
只依赖 NumPy；结果确定，运行时间远小于 1 秒。
"""
import itertools

import numpy as np

E, A, B = 1.69, 406.4, 410.7
C = 6 * 70e9 * 1.4e12  # Chinchilla 的训练算力（6ND）


def n_opt(c: float, alpha: float, beta: float) -> float:
    g = (alpha * A / (beta * B)) ** (1 / (alpha + beta))
    return g * (c / 6) ** (beta / (alpha + beta))


results = []
for alpha, beta in itertools.product((0.335, 0.34, 0.345), (0.275, 0.28, 0.285)):
    n = n_opt(C, alpha, beta)
    d = C / (6 * n)
    assert np.isclose(6 * n * d, C)  # 满足算力约束
    results.append((alpha, beta, n, d / n))
    print(f"α = {alpha:.3f}, β = {beta:.3f}: N_opt = {n / 1e9:5.1f}B, D/N = {d / n:6.1f}")

ns = [r[2] for r in results]
ratios = [r[3] for r in results]
print(f"舍入区间内 N_opt 从 {min(ns) / 1e9:.1f}B 到 {max(ns) / 1e9:.1f}B，相差 {max(ns) / min(ns):.1f} 倍")
print(f"每参数词元数从 {min(ratios):.0f} 到 {max(ratios):.0f}；Chinchilla 实际采用 70B、每参数 20 个词元")
assert max(ns) / min(ns) > 2  # 仅舍入就能让结论相差一倍以上
assert max(ns) < 70e9  # 但整个区间都够不到 70B：差距不只来自舍入
