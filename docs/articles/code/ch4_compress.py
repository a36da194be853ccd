"""第 4 章示例：“更小型化的大模型”背后的两种基本手段。

1. 知识蒸馏（Hinton et al., 2015）：带温度 T 的 softmax 软目标与蒸馏损失；
2. 对称 INT8 量化：每个张量一个缩放因子，误差不超过半个量化步长。

只依赖 NumPy；固定随机种子，运行时间远小于 1 秒。
"""
import numpy as np

rng = np.random.default_rng(seed=4)


def softmax(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = z / t
    z = z - z.max(axis=-1, keepdims=True)  # 数值稳定
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def entropy(p: np.ndarray) -> np.ndarray:
    return -(p * np.log(p)).sum(axis=-1)


# ---------------------------------------------------------------------------
# 1. 知识蒸馏
# ---------------------------------------------------------------------------
teacher_logits = np.array([6.0, 2.5, 1.0, -1.0, -3.0])
student_logits = rng.normal(size=5)

print("温度 T 越高，教师分布越“软”，熵越大：")
prev_h = -np.inf
for t in (1.0, 2.0, 4.0, 8.0):
    p = softmax(teacher_logits, t)
    h = entropy(p)
    print(f"  T = {t:3.0f}: p = {np.round(p, 3)}, H = {h:.3f}")
    assert np.isclose(p.sum(), 1.0)
    assert h > prev_h  # 熵随温度单调增加
    prev_h = h


def kd_loss(z_s: np.ndarray, z_t: np.ndarray, t: float) -> float:
    """T^2 * KL(p_t^T || p_s^T)；乘 T^2 使梯度量级与 T 无关（Hinton et al., 2015）。"""
    p_t, p_s = softmax(z_t, t), softmax(z_s, t)
    return float(t**2 * np.sum(p_t * (np.log(p_t) - np.log(p_s))))


T = 4.0
loss = kd_loss(student_logits, teacher_logits, T)
print(f"蒸馏损失 (T = {T}): {loss:.4f}")
assert loss >= 0.0  # KL 散度非负
assert np.isclose(kd_loss(teacher_logits, teacher_logits, T), 0.0)  # 学生等于教师时为 0

# 解析梯度 dL/dz_s = T * (p_s^T - p_t^T)，与有限差分对照
analytic = T * (softmax(student_logits, T) - softmax(teacher_logits, T))
eps = 1e-6
numeric = np.array([
    (kd_loss(student_logits + eps * np.eye(5)[i], teacher_logits, T)
     - kd_loss(student_logits - eps * np.eye(5)[i], teacher_logits, T)) / (2 * eps)
    for i in range(5)
])
print(f"解析梯度：{np.round(analytic, 5)}")
assert np.allclose(analytic, numeric, atol=1e-6)

# ---------------------------------------------------------------------------
# 2. 对称 INT8 量化（absmax）
# ---------------------------------------------------------------------------
w = rng.normal(scale=0.02, size=(256, 256)).astype(np.float32)
scale = np.abs(w).max() / 127.0
q = np.clip(np.round(w / scale), -127, 127).astype(np.int8)
w_hat = q.astype(np.float32) * scale
err = np.abs(w - w_hat)
print(f"INT8 量化：缩放因子 {scale:.2e}, 最大误差 {err.max():.2e}, "
      f"相对 Frobenius 误差 {np.linalg.norm(w - w_hat) / np.linalg.norm(w):.4f}")
assert err.max() <= scale / 2 + 1e-8  # 舍入误差不超过半个步长
assert w.nbytes == 4 * q.nbytes  # FP32 -> INT8，存储缩小 4 倍

# 激活/权重中的离群值会放大步长，使其余数值的精度变差
w_out = w.copy()
w_out[0, 0] = 1.0  # 人为注入一个离群值
scale_out = np.abs(w_out).max() / 127.0
w_out_hat = np.clip(np.round(w_out / scale_out), -127, 127) * scale_out
rel_clean = np.linalg.norm(w - w_hat) / np.linalg.norm(w)
mask = np.ones_like(w, dtype=bool)
mask[0, 0] = False
rel_out = np.linalg.norm((w_out - w_out_hat)[mask]) / np.linalg.norm(w_out[mask])
print(f"注入离群值后，其余权重的相对误差从 {rel_clean:.4f} 升至 {rel_out:.4f}")
assert rel_out > 5 * rel_clean
