"""DP-SGD 的隐私—噪声权衡：高斯机制的 Rényi 差分隐私（RDP）记账（不含子采样放大）。

每一步把裁剪到 L2 范数 C 的梯度之和加上 N(0, (sigma*C)^2) 的噪声，敏感度为 C，
于是一步是 alpha 阶 RDP 为 alpha / (2 sigma^2) 的高斯机制（Mironov 2017 对高斯机制的结论，增删一条记录的相邻关系）；
T 步组合后 RDP 相加（命题 1），再换算成 (epsilon, delta)（得到的是 epsilon 的上界）：
    epsilon = min_alpha [ T * alpha / (2 sigma^2) + ln(1/delta) / (alpha - 1) ]（命题 3）。
这里假设每一步都用全部数据、不做随机子采样，所以得到的 epsilon 偏大；
DP-SGD 实际依靠子采样放大（Abadi 等 2016 的矩记账）得到小得多的 epsilon。
"""

import math

import numpy as np

DELTA = 1e-5
STEPS = 1000
ALPHAS = np.concatenate([np.linspace(1.01, 10, 1000), np.linspace(10, 5000, 20000)])


def epsilon_rdp(sigma: float, steps: int, delta: float) -> float:
    """T 步高斯机制在 RDP 记账下的 epsilon（对 alpha 取最小）。"""
    eps = steps * ALPHAS / (2 * sigma**2) + math.log(1 / delta) / (ALPHAS - 1)
    return float(eps.min())


def epsilon_naive(sigma: float, steps: int, delta: float) -> float:
    """朴素组合：每步按 RDP 换算成 (eps1, delta/T)，再把 T 个 eps1 相加。"""
    return steps * epsilon_rdp(sigma, 1, delta / steps)


rows = []
for sigma in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0):
    rows.append((sigma, epsilon_rdp(sigma, STEPS, DELTA), epsilon_naive(sigma, STEPS, DELTA)))

print(f"T = {STEPS} 步，delta = {DELTA:g}，不含子采样放大")
print("噪声倍数 sigma | RDP 记账的 epsilon | 朴素组合的 epsilon")
for sigma, eps_rdp, eps_naive in rows:
    print(f"{sigma:>13.0f} | {eps_rdp:>18.2f} | {eps_naive:>18.1f}")

# 噪声越大，epsilon 越小（隐私越强）
assert all(a[1] > b[1] for a, b in zip(rows, rows[1:]))
# RDP 组合总比逐步相加紧
assert all(eps_rdp < eps_naive for _, eps_rdp, eps_naive in rows)
# 单步检查：sigma 很大时 RDP 的 epsilon 接近解析式 sqrt(2 ln(1/delta)) / sigma
big = 1000.0
assert abs(epsilon_rdp(big, 1, DELTA) * big / math.sqrt(2 * math.log(1 / DELTA)) - 1) < 0.01

# 加噪的代价：在 d 维上，噪声范数约为 sigma*C*sqrt(d)，远大于裁剪后梯度和的范数上界 B*C
rng = np.random.default_rng(0)
d, batch, clip = 10_000, 256, 1.0
noise = rng.normal(0.0, 1.0 * clip, size=d)
ratio = np.linalg.norm(noise) / (batch * clip)
print(f"sigma = 1、d = {d}、批量 {batch} 时，噪声范数 / 梯度和范数上界 = {ratio:.2f}")
assert 0.35 < ratio < 0.43
