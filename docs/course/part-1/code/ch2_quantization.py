"""权重量化的误差：INT8 / INT4 对称 absmax 量化的往返误差，逐张量与逐行（逐输出通道）缩放对比。"""

import numpy as np

rng = np.random.default_rng(0)
W = rng.normal(0.0, 0.02, size=(512, 512)).astype(np.float32)
W[rng.integers(0, 512, 8), rng.integers(0, 512, 8)] = 0.5  # 少数离群值，模拟大模型权重中的异常大值


def quantize(w: np.ndarray, bits: int, axis=None):
    """对称 absmax 量化：scale = max|w| / (2^(b-1) - 1)，q = round(w / scale)，返回反量化结果和 scale。"""
    qmax = 2 ** (bits - 1) - 1
    scale = np.abs(w).max(axis=axis, keepdims=axis is not None) / qmax
    q = np.clip(np.round(w / scale), -qmax, qmax)
    return q * scale, scale


def rel_error(w, w_hat):
    return float(np.linalg.norm(w - w_hat) / np.linalg.norm(w))


print("位宽 | 缩放粒度 | 相对误差 ||W - Q(W)|| / ||W|| | 存储（字节/参数）")
results = {}
for bits in (8, 4):
    for name, axis in (("逐张量", None), ("逐行", 1)):
        w_hat, scale = quantize(W, bits, axis)
        # 舍入误差不超过半个量化步长
        assert np.all(np.abs(W - w_hat) <= scale / 2 + 1e-7)
        results[(bits, name)] = rel_error(W, w_hat)
        print(f"INT{bits} | {name} | {results[(bits, name)]:.4f} | {bits / 8}")

# 逐行缩放把离群值的影响限制在它所在的行，误差明显更小；位宽越低误差越大
assert results[(8, "逐行")] < results[(8, "逐张量")]
assert results[(4, "逐行")] < results[(4, "逐张量")]
assert results[(4, "逐行")] > results[(8, "逐行")]
print(f"FP16 存储 2 字节/参数，INT4 为其 1/4，70 亿参数约 {7e9 * 0.5 / 1e9:.1f} GB（不计缩放因子）")
