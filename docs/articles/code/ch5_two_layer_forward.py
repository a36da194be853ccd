"""第 5 章示例：两层全连接网络的前向传播（对应原文 §4.1 与 §4.2，纯 NumPy）。

约定（列向量写法）
    z1 = W1 @ x + b1,   a1 = relu(z1)      W1: (3, n_in)，b1: (3,)
    z2 = W2 @ a1 + b2,  a2 = relu(z2)      W2: (2, 3)，   b2: (2,)
第一层 3 个神经元、第二层 2 个神经元，与原文 §4.1 的例子一致；原文没有给出输入维度，
这里取 n_in = 4。原文对两层都写了激活函数 sigma，本例取 sigma = ReLU。

演示内容
1. 逐元素求和公式 z_i = sum_j W_ij x_j + b_i 与矩阵写法 W @ x + b 完全相同；
2. 各中间量的形状：x (4,) -> z1, a1 (3,) -> z2, a2 (2,)；批量输入 (N, 4) -> (N, 2)；
3. 与手算数值比对；
4. ReLU 输出非负；
5. 原文 §4.2 的“微调”：W2 -> W2 + dW2、b2 -> b2 + db2，
   由线性性有 z2' = z2 + dW2 @ a1 + db2；低秩增量 dW2 = B @ A 的秩不超过 r。
"""
import numpy as np


def relu(z):
    return np.maximum(z, 0.0)


def forward(x, W1, b1, W2, b2):
    """单个样本的前向传播，返回所有中间量，便于检查形状。"""
    z1 = W1 @ x + b1
    a1 = relu(z1)
    z2 = W2 @ a1 + b2
    a2 = relu(z2)
    return z1, a1, z2, a2


def forward_elementwise(x, W1, b1, W2, b2):
    """按原文 §4.1 的逐元素公式显式求和，用来与矩阵写法对照。"""
    n_hidden, n_in = W1.shape
    n_out = W2.shape[0]
    a1 = np.zeros(n_hidden)
    for i in range(n_hidden):
        z = sum(W1[i, j] * x[j] for j in range(n_in)) + b1[i]
        a1[i] = max(z, 0.0)
    a2 = np.zeros(n_out)
    for i in range(n_out):
        z = sum(W2[i, j] * a1[j] for j in range(n_hidden)) + b2[i]
        a2[i] = max(z, 0.0)
    return a2


def forward_batch(X, W1, b1, W2, b2):
    """批量前向：X 的形状为 (N, n_in)，行向量写法 X @ W.T + b。"""
    A1 = relu(X @ W1.T + b1)
    return relu(A1 @ W2.T + b2)


def main():
    # ---- 1) 手算示例：整数权重，便于核对 ----
    x = np.array([1.0, 2.0, 0.0, -1.0])                 # (4,)
    W1 = np.array([[1.0, 0.0, 2.0, 1.0],
                   [-1.0, 1.0, 0.0, 0.0],
                   [0.0, -2.0, 1.0, 1.0]])              # (3, 4)
    b1 = np.array([0.0, 0.5, 1.0])                      # (3,)
    W2 = np.array([[2.0, 1.0, -1.0],
                   [1.0, -1.0, 3.0]])                   # (2, 3)
    b2 = np.array([0.5, 1.0])                           # (2,)

    z1, a1, z2, a2 = forward(x, W1, b1, W2, b2)
    print("z1 =", z1, " a1 =", a1)
    print("z2 =", z2, " a2 =", a2)

    # 形状检查
    assert x.shape == (4,)
    assert z1.shape == a1.shape == (3,)
    assert z2.shape == a2.shape == (2,)

    # 手算：z1 = [1+0+0-1+0, -1+2+0.5, 0-4+0-1+1] = [0, 1.5, -4]
    #       a1 = relu(z1) = [0, 1.5, 0]
    #       z2 = [0+1.5-0+0.5, 0-1.5+0+1] = [2.0, -0.5]
    #       a2 = relu(z2) = [2.0, 0.0]
    assert np.allclose(z1, [0.0, 1.5, -4.0])
    assert np.allclose(a1, [0.0, 1.5, 0.0])
    assert np.allclose(z2, [2.0, -0.5])
    assert np.allclose(a2, [2.0, 0.0])

    # 逐元素公式与矩阵写法一致
    assert np.allclose(forward_elementwise(x, W1, b1, W2, b2), a2)

    # ---- 2) 随机批量：形状与非负性 ----
    rng = np.random.default_rng(42)
    N = 5
    X = rng.normal(size=(N, 4))
    W1r = rng.normal(size=(3, 4))
    b1r = rng.normal(size=3)
    W2r = rng.normal(size=(2, 3))
    b2r = rng.normal(size=2)
    Y = forward_batch(X, W1r, b1r, W2r, b2r)
    print(f"批量输出形状：{Y.shape}")
    assert Y.shape == (N, 2)
    assert np.all(Y >= 0.0)              # ReLU 输出非负
    for n in range(N):                   # 批量结果与逐样本结果一致
        assert np.allclose(Y[n], forward(X[n], W1r, b1r, W2r, b2r)[3])

    # ---- 3) 原文 §4.2：只改第二层的“微调” ----
    dW2 = np.array([[0.1, 0.0, 0.0],
                    [0.0, 0.2, 0.0]])
    db2 = np.array([0.0, 0.1])
    _, _, z2_ft, a2_ft = forward(x, W1, b1, W2 + dW2, b2 + db2)
    print("微调后 z2 =", z2_ft, " a2 =", a2_ft)
    # 线性性：z2' = z2 + dW2 @ a1 + db2
    assert np.allclose(z2_ft, z2 + dW2 @ a1 + db2)
    # 手算：dW2 @ a1 = [0, 0.3]，故 z2' = [2.0, -0.5 + 0.3 + 0.1] = [2.0, -0.1]
    assert np.allclose(z2_ft, [2.0, -0.1])
    assert np.allclose(a2_ft, [2.0, 0.0])

    # 低秩增量（LoRA 的思路）：dW = B @ A，B: (2, r)，A: (r, 3)，秩不超过 r
    r = 1
    B = rng.normal(size=(2, r))
    A = rng.normal(size=(r, 3))
    dW_low = B @ A
    assert dW_low.shape == W2.shape
    assert np.linalg.matrix_rank(dW_low) <= r
    print(f"低秩增量的秩：{np.linalg.matrix_rank(dW_low)}，"
          f"可训练参数：{B.size + A.size}（全量为 {W2.size}）")

    print("全部检查通过。")


if __name__ == "__main__":
    main()
