"""第 3 章示例：把损失乘以 1/2，对 SGD 和 Adam 的更新各有什么影响（纯 NumPy）。

原文把 BERT 的预训练损失写成 (L_MLM + L_NSP) / 2。对 SGD，损失减半就是梯度减半、步长减半；
但 BERT 用的是 Adam，Adam 的步长是一阶矩除以二阶矩的平方根，梯度整体乘以常数 c 时两者同比例变化，
步长几乎不变（只差分母里的 ε）。这一点与是否做偏差修正无关：BERT 公开实现（google-research/bert
的 optimization.py）里的 Adam 就不做偏差修正。本程序在一个固定种子的逻辑回归上对比两种优化器，
Adam 分带偏差修正和不带偏差修正两种写法。
"""
import numpy as np

rng = np.random.default_rng(0)
X = rng.normal(size=(200, 5))
w_true = rng.normal(size=5)
y = (X @ w_true + 0.5 * rng.normal(size=200) > 0).astype(float)


def grad(w, scale):
    """scale × 平均交叉熵（逻辑回归）对 w 的梯度。"""
    p = 1 / (1 + np.exp(-(X @ w)))
    return scale * X.T @ (p - y) / len(y)


def sgd(scale, steps=100, lr=0.5):
    w = np.zeros(5)
    for _ in range(steps):
        w -= lr * grad(w, scale)
    return w


def adam(scale, steps=100, lr=0.05, b1=0.9, b2=0.999, eps=1e-8, bias_correction=True):
    w, m, v = np.zeros(5), np.zeros(5), np.zeros(5)
    for t in range(1, steps + 1):
        g = grad(w, scale)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        if bias_correction:
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
        else:  # BERT 公开实现的写法：直接用 m、v
            m_hat, v_hat = m, v
        w -= lr * m_hat / (np.sqrt(v_hat) + eps)
    return w


# 第一步的步长之比
sgd_ratio = np.linalg.norm(sgd(0.5, steps=1)) / np.linalg.norm(sgd(1.0, steps=1))
adam_ratio = np.linalg.norm(adam(0.5, steps=1)) / np.linalg.norm(adam(1.0, steps=1))
print(f"第一步步长之比（损失乘 1/2 与原损失）：SGD {sgd_ratio:.6f}，Adam {adam_ratio:.6f}")

# 训练 100 步之后参数相差多少
d_sgd = np.abs(sgd(0.5) - sgd(1.0)).max()
d_adam = np.abs(adam(0.5) - adam(1.0)).max()
d_adam_nobc = np.abs(adam(0.5, bias_correction=False) - adam(1.0, bias_correction=False)).max()
print(f"100 步后参数的最大差异：SGD {d_sgd:.4f}，Adam 小于 1e-6：{d_adam < 1e-6}，"
      f"不做偏差修正的 Adam 小于 1e-6：{d_adam_nobc < 1e-6}")

assert np.isclose(sgd_ratio, 0.5)
assert abs(adam_ratio - 1.0) < 1e-6
assert d_sgd > 0.1 and d_adam < 1e-6 and d_adam_nobc < 1e-6
print("全部检查通过。")
