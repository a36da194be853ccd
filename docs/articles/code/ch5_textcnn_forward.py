"""第 5 章示例：修正后的文本分类卷积网络前向传播（对应原文 §4.4，纯 NumPy）。

修正后的模型（Kim 2014 式 TextCNN 的最小版本）
    e_i = E[x_i]                               词嵌入查表，E: (V, d)，e_i: (d,)
    c_i = relu(W_c @ [e_i; e_{i+1}] + b_c)     宽度 k = 2 的卷积，W_c: (m, k*d)，c_i: (m,)
    g   = max_i c_i                            按特征维做最大池化，g: (m,)
    s   = W_o @ g + b_o                        类别打分，W_o: (C, m)，s: (C,)
    p_c = exp(s_c) / sum_c' exp(s_c')          softmax

演示内容
1. 长度 n = 4、卷积宽度 k = 2 且不填充时，只有 n - k + 1 = 3 个卷积位置（原文写成 4 个）；
2. 各中间量的形状；
3. 类别概率非负且和为 1，类别下标 c 与词位置下标 i 是两套不同的下标。
"""
import numpy as np


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def main():
    rng = np.random.default_rng(7)
    V, d, k, m, C = 10, 3, 2, 4, 2     # 词表、嵌入维度、卷积宽度、卷积核个数、类别数
    x = np.array([3, 1, 4, 1])         # 长度 n = 4 的词下标序列
    n = len(x)

    E = rng.normal(size=(V, d))
    W_c = rng.normal(size=(m, k * d))
    b_c = np.zeros(m)
    W_o = rng.normal(size=(C, m))
    b_o = np.zeros(C)

    emb = E[x]                                                      # (n, d)
    windows = np.stack([emb[i:i + k].reshape(-1) for i in range(n - k + 1)])
    conv = np.maximum(windows @ W_c.T + b_c, 0.0)                   # (n-k+1, m)
    g = conv.max(axis=0)                                            # (m,)
    s = W_o @ g + b_o                                               # (C,)
    p = softmax(s)

    print("嵌入形状", emb.shape, "卷积输出形状", conv.shape,
          "池化后", g.shape, "类别概率", p)
    assert emb.shape == (n, d)
    assert windows.shape == (n - k + 1, k * d) == (3, 6)
    assert conv.shape == (3, m)
    assert g.shape == (m,) and s.shape == (C,)
    assert np.all(p >= 0) and np.isclose(p.sum(), 1.0)
    print("全部检查通过。")


if __name__ == "__main__":
    main()
