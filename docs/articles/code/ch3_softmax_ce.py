"""第 3 章示例：数值稳定的 softmax 与平均交叉熵损失（纯 NumPy）。

演示内容
1. softmax 先减去每行最大值再取指数，结果与原始定义相同，但不会溢出；
2. 平均交叉熵 L = -(1/N) * sum_i log p(y_i | x_i)，恒为非负；
3. 单个样本时，交叉熵等于真实类别概率的负对数；
4. 与手算数值比对；
5. 交叉熵对 logits 的梯度等于 (p - onehot(y)) / N（有限差分检验）；
6. 原文 §4.2 的写法 “-(1/N) * sum(交叉熵)” 会得到非正的损失，是符号错误。
"""
import numpy as np


def softmax(z):
    """按最后一维做 softmax；先减去最大值以避免 exp 溢出。"""
    z = np.asarray(z, dtype=np.float64)
    shifted = z - z.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(z):
    """log softmax = z - logsumexp(z)，同样做了平移以保证数值稳定。"""
    z = np.asarray(z, dtype=np.float64)
    m = z.max(axis=-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=-1, keepdims=True))


def cross_entropy(logits, y):
    """平均交叉熵：L = -(1/N) * sum_i log softmax(logits_i)[y_i]。"""
    logits = np.atleast_2d(logits)
    y = np.atleast_1d(y)
    logp = log_softmax(logits)
    return -logp[np.arange(len(y)), y].mean()


def cross_entropy_grad(logits, y):
    """解析梯度：dL/dz = (softmax(z) - onehot(y)) / N。"""
    logits = np.atleast_2d(logits)
    n, k = logits.shape
    g = softmax(logits)
    g[np.arange(n), y] -= 1.0
    return g / n


def main():
    rng = np.random.default_rng(0)

    # 1) 概率分布：每行非负且和为 1
    z = rng.normal(size=(4, 5))
    p = softmax(z)
    print(f"softmax 每行之和：{p.sum(axis=1)}")
    assert np.all(p >= 0)
    assert np.allclose(p.sum(axis=1), 1.0)

    # 2) 数值稳定性：logits 很大时朴素实现会溢出，平移后的实现与 softmax([0,1,2]) 一致
    big = np.array([1000.0, 1001.0, 1002.0])
    with np.errstate(over="ignore", invalid="ignore"):
        naive = np.exp(big) / np.exp(big).sum()
    print(f"朴素实现：{naive}；稳定实现：{softmax(big)}")
    assert np.isnan(naive).any()
    assert np.allclose(softmax(big), softmax(np.array([0.0, 1.0, 2.0])))

    # 3) 平均交叉熵非负
    y = rng.integers(0, 5, size=4)
    loss = cross_entropy(z, y)
    print(f"批量平均交叉熵：{float(loss):.6f}")
    assert loss >= 0

    # 4) 单样本：交叉熵 = -log p(真实类别)
    z1 = np.array([2.0, 1.0, 0.1])
    p1 = softmax(z1)
    ce1 = cross_entropy(z1, 0)
    print("单样本 p =", np.round(p1, 6), " CE =", round(float(ce1), 6))
    assert np.isclose(ce1, -np.log(p1[0]))

    # 5) 与手算值比对：p0 = e^2 / (e^2 + e^1 + e^0.1) ≈ 0.659001，CE = -ln p0 ≈ 0.417030
    hand_p0 = np.exp(2.0) / (np.exp(2.0) + np.exp(1.0) + np.exp(0.1))
    assert np.isclose(p1[0], 0.659001, atol=1e-6)
    assert np.isclose(hand_p0, p1[0])
    assert np.isclose(ce1, 0.417030, atol=1e-6)

    # 6) 梯度检验：解析梯度与中心差分一致，且每行梯度之和为 0
    g = cross_entropy_grad(z, y)
    eps = 1e-6
    num = np.zeros_like(z)
    for i in range(z.shape[0]):
        for j in range(z.shape[1]):
            zp, zm = z.copy(), z.copy()
            zp[i, j] += eps
            zm[i, j] -= eps
            num[i, j] = (cross_entropy(zp, y) - cross_entropy(zm, y)) / (2 * eps)
    err = float(np.abs(g - num).max())
    print(f"梯度最大误差小于 1e-7：{err < 1e-7}")
    assert np.allclose(g, num, atol=1e-7)
    assert np.allclose(g.sum(axis=1), 0.0)

    # 7) 原文 §4.2 的符号错误：若 ell 已是交叉熵（非负），再取负号就得到非正的“损失”
    per_sample = -log_softmax(z)[np.arange(len(y)), y]
    wrong = -per_sample.mean()
    print(f"原文写法得到的值：{float(wrong):.6f}（应为 {float(loss):.6f}）")
    assert wrong <= 0 and np.isclose(wrong, -loss)

    print("全部检查通过。")


if __name__ == "__main__":
    main()
