"""第 5 章示例：简单循环神经网络（Elman RNN）的单步更新（对应原文 §4.3，纯 NumPy）。

单步公式
    h_t = tanh(W_hh @ h_{t-1} + W_xh @ x_t + b)
其中 h_t, h_{t-1}: (d_h,)，x_t: (d_x,)，W_hh: (d_h, d_h)，W_xh: (d_h, d_x)，b: (d_h,)。
与原文 §4.3 的例子一致取 d_h = 2、d_x = 3。

演示内容
1. 形状检查：h_t 的形状为 (2,)；
2. tanh 的值域：h_t 的每个分量都在 (-1, 1) 内；
3. 与手算数值比对；
4. 原文的拼接写法 W_h @ [h_{t-1}; x_t] 等价于 W_hh @ h_{t-1} + W_xh @ x_t，
   其中 W_h = [W_hh, W_xh]，形状为 (2, 2 + 3) = (2, 5)；
5. 展开 3 个时间步（x_1, x_2, x_3 各是一个 3 维向量，h_0 = 0），
   输出层 y_t = softmax(W_o @ h_t + b_o) 的每一步概率和为 1。
"""
import math

import numpy as np


def rnn_step(h_prev, x_t, W_hh, W_xh, b):
    return np.tanh(W_hh @ h_prev + W_xh @ x_t + b)


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def main():
    # ---- 1) 手算示例 ----
    W_hh = np.array([[0.5, 0.0],
                     [0.0, 0.5]])                 # (2, 2)
    W_xh = np.array([[1.0, 0.0, -1.0],
                     [0.0, 1.0, 1.0]])            # (2, 3)
    b = np.array([0.0, 0.1])                      # (2,)
    h_prev = np.array([1.0, -1.0])                # (2,)
    x_t = np.array([0.2, 0.4, 0.1])               # (3,)

    h_t = rnn_step(h_prev, x_t, W_hh, W_xh, b)
    print("h_t =", h_t)

    assert h_t.shape == (2,)
    assert np.all(np.abs(h_t) < 1.0)              # tanh 的值域 (-1, 1)

    # 手算：W_hh @ h_prev = [0.5, -0.5]
    #       W_xh @ x_t    = [0.2 - 0.1, 0.4 + 0.1] = [0.1, 0.5]
    #       加上 b        = [0.6, 0.1]
    #       h_t = [tanh(0.6), tanh(0.1)] ≈ [0.5370496, 0.0996680]
    pre = W_hh @ h_prev + W_xh @ x_t + b
    assert np.allclose(pre, [0.6, 0.1])
    assert np.allclose(h_t, [math.tanh(0.6), math.tanh(0.1)])
    assert abs(h_t[0] - 0.5370495669980353) < 1e-12
    assert abs(h_t[1] - 0.0996679946249558) < 1e-12

    # ---- 2) 拼接写法与分块写法等价 ----
    W_h = np.hstack([W_hh, W_xh])                 # (2, 5)
    assert W_h.shape == (2, 5)
    h_concat = np.tanh(W_h @ np.concatenate([h_prev, x_t]) + b)
    assert np.allclose(h_concat, h_t)

    # ---- 3) 展开 3 个时间步（随机参数，固定种子）----
    rng = np.random.default_rng(0)
    d_h, d_x, d_y, T = 2, 3, 4, 3
    Whh = rng.normal(scale=0.5, size=(d_h, d_h))
    Wxh = rng.normal(scale=0.5, size=(d_h, d_x))
    bh = np.zeros(d_h)
    Wo = rng.normal(scale=0.5, size=(d_y, d_h))
    bo = np.zeros(d_y)
    xs = rng.normal(size=(T, d_x))                # 序列：T 个 3 维输入向量
    h = np.zeros(d_h)                             # h_0 = 0
    for t in range(T):
        h = rnn_step(h, xs[t], Whh, Wxh, bh)
        y = softmax(Wo @ h + bo)
        print(f"t={t + 1}: h={h}, y={y}")
        assert h.shape == (d_h,) and np.all(np.abs(h) < 1.0)
        assert y.shape == (d_y,) and np.isclose(y.sum(), 1.0)

    print("全部检查通过。")


if __name__ == "__main__":
    main()
