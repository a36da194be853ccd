"""第 4 章示例：Chinchilla 参数化拟合给出的最优参数量，为什么算出来不是 70B。

L(N, D) = E + A/N^α + B/D^β 在 C = 6ND 约束下的最优参数量只取决于 A、B、α、β（E 不影响）。
依次比较三组常数在 Chinchilla 算力预算下的结果：

1. 论文正文的两位小数 α = 0.34、β = 0.28（A = 406.4、B = 410.7，Hoffmann et al., 2022），
   以及 α、β 在各自舍入区间 [±0.005] 内取值时结果的变化范围；
2. 论文 TeX 源文件中未舍入的 α = 0.3392、β = 0.2849（Besiroglu et al., 2024 指出正文的常数经过舍入）；
3. Besiroglu 等人对重建数据重新拟合的 A = 482.01、B = 2085.43、α = 0.3478、β = 0.3658。

只依赖 NumPy；结果确定，运行时间远小于 1 秒。
"""
import itertools

import numpy as np

C = 6 * 70e9 * 1.4e12  # Chinchilla 的训练算力（6ND）


def n_opt(c: float, a_coef: float, b_coef: float, alpha: float, beta: float) -> float:
    g = (alpha * a_coef / (beta * b_coef)) ** (1 / (alpha + beta))
    return g * (c / 6) ** (beta / (alpha + beta))


def report(label: str, a_coef: float, b_coef: float, alpha: float, beta: float) -> float:
    n = n_opt(C, a_coef, b_coef, alpha, beta)
    d = C / (6 * n)
    assert np.isclose(6 * n * d, C)  # 满足算力约束
    print(f"{label}（α = {alpha}, β = {beta}）：N_opt = {n / 1e9:5.1f}B, D/N = {d / n:6.1f}")
    return n


A, B = 406.4, 410.7
n_rounded = report("正文常数", A, B, 0.34, 0.28)

# 正文只给两位小数，真实值可以落在 [0.335, 0.345] × [0.275, 0.285] 中的任何位置
box = [n_opt(C, A, B, al, be) for al, be in itertools.product((0.335, 0.345), (0.275, 0.285))]
lo, hi = min(box), max(box)
grid = [n_opt(C, A, B, al, be) for al in np.linspace(0.335, 0.345, 21) for be in np.linspace(0.275, 0.285, 21)]
assert np.isclose(min(grid), lo) and np.isclose(max(grid), hi)  # 对 α 单调减、对 β 单调增，极值在角点
print(f"两位小数所容许的范围：N_opt 从 {lo / 1e9:.1f}B 到 {hi / 1e9:.1f}B，相差 {hi / lo:.1f} 倍")

n_tex = report("TeX 源文件", A, B, 0.3392, 0.2849)
assert lo < n_tex < hi  # 未舍入的值落在区间内
print(f"只改正舍入：{n_rounded / 1e9:.1f}B → {n_tex / 1e9:.1f}B，仍不到 70B")
assert n_tex < 70e9  # 仅靠舍入解释不了 70B

n_refit = report("Besiroglu 等人重新拟合", 482.01, 2085.43, 0.3478, 0.3658)
print(f"重新拟合后 N_opt 与 Chinchilla 的 70B 相差 {abs(n_refit / 70e9 - 1):.0%}，"
      f"参数量指数 β/(α+β) = {0.3658 / (0.3478 + 0.3658):.2f}")
assert abs(n_refit / 70e9 - 1) < 0.1  # 与 Chinchilla 的实际配置相容
