"""第 3 章示例：冻结“预训练编码器”、只训练分类头（线性探测 / 特征提取式适配）。

用一个固定的随机非线性映射代替预训练编码器，在合成的三分类数据上，
只用梯度下降训练 softmax 分类头。交叉熵对 logits 的梯度为 (P - Y) / N，
因此分类头权重的梯度为 H^T (P - Y) / N，其中 H 是编码器输出的特征。
注意：BERT 论文中的标准微调会更新全部参数；这里演示的是另一种更省算力的做法。
"""
import numpy as np


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def mean_ce(probs, y):
    return -np.log(probs[np.arange(len(y)), y] + 1e-12).mean()


def main():
    rng = np.random.default_rng(7)
    n, d, h, k = 600, 10, 64, 3

    # 合成数据：标签由一个未知的线性规则决定
    x = rng.normal(size=(n, d))
    y = np.argmax(x @ rng.normal(size=(d, k)), axis=1)

    # “预训练编码器”：固定不动的随机特征映射
    w_enc = rng.normal(size=(d, h)) / np.sqrt(d)
    b_enc = rng.normal(size=h) * 0.1
    w_enc_before = w_enc.copy()
    feats = np.tanh(x @ w_enc + b_enc)

    # 分类头
    w = np.zeros((h, k))
    b = np.zeros(k)
    y_onehot = np.eye(k)[y]
    lr, losses = 0.5, []
    for _ in range(300):
        probs = softmax(feats @ w + b)
        losses.append(mean_ce(probs, y))
        g = (probs - y_onehot) / n      # dL/dlogits
        w -= lr * feats.T @ g
        b -= lr * g.sum(axis=0)

    probs = softmax(feats @ w + b)
    acc = (probs.argmax(axis=1) == y).mean()
    print(f"初始损失 {losses[0]:.4f}（= ln 3 = {np.log(3):.4f}），最终损失 {losses[-1]:.4f}，训练准确率 {acc:.3f}")
    print(f"冻结的编码器参数 {w_enc.size + b_enc.size} 个，训练的分类头参数 {w.size + b.size} 个")

    assert np.isclose(losses[0], np.log(k))        # 全零初始化 => 均匀分布
    assert losses[-1] < 0.5 * losses[0]
    assert all(a >= b_ - 1e-12 for a, b_ in zip(losses, losses[1:]))  # 本例中单调下降
    assert acc > 0.85
    assert np.array_equal(w_enc, w_enc_before)     # 编码器确实没有被更新
    print("全部检查通过。")


if __name__ == "__main__":
    main()
