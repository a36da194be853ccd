"""第 3 章示例：DPO 的损失与 GRPO 的组内相对优势（纯 NumPy）。

DPO：对同一提示的一对回答（偏好 y_w、不偏好 y_l），
    L = -log σ(β [(log π(y_w) - log π_ref(y_w)) - (log π(y_l) - log π_ref(y_l))])。
GRPO：对同一问题采样 G 个回答，得分 r_i，优势 A_i = (r_i - mean(r)) / std(r)，不需要价值网络。
下面的对数概率和得分都是编者虚构的演示数字。
"""
import numpy as np


def dpo_loss(logp_w, logp_l, ref_w, ref_l, beta=0.1):
    margin = beta * ((logp_w - ref_w) - (logp_l - ref_l))
    return float(np.log1p(np.exp(-margin)))  # = -log σ(margin)


# 策略与参考模型相同时，边际为 0，损失为 ln 2
same = dpo_loss(-12.0, -15.0, -12.0, -15.0)
# 策略相对参考模型提高了偏好回答、降低了不偏好回答的概率，损失下降
better = dpo_loss(-10.0, -18.0, -12.0, -15.0)
print(f"DPO 损失：与参考模型相同 {same:.4f}（= ln 2），偏向偏好回答后 {better:.4f}")
assert np.isclose(same, np.log(2)) and better < same

# GRPO：一道数学题采样 8 个回答，答对记 1 分、答错记 0 分
r = np.array([1, 0, 0, 1, 0, 0, 0, 1], dtype=float)
adv = (r - r.mean()) / r.std()            # 总体标准差（除以 G）
adv_sample = (r - r.mean()) / r.std(ddof=1)  # 样本标准差（除以 G - 1）；论文公式只写 std，没有指明哪一种
print(f"组内相对优势：{np.round(adv, 4)}")
print(f"改用样本标准差：答对 {adv_sample[0]:.4f}，答错 {adv_sample[1]:.4f}")
assert np.isclose(adv.sum(), 0.0)
assert np.all(adv[r == 1] > 0) and np.all(adv[r == 0] < 0)
assert np.all(np.sign(adv) == np.sign(adv_sample))  # 两种写法只差一个正的常数因子

# 一组回答全对（或全错）时标准差为 0：实现时要在分母上加一个小常数以免除以 0；此时优势全为 0，这道题不提供学习信号
same = np.ones(8)
adv_same = (same - same.mean()) / (same.std() + 1e-4)
print(f"8 个回答全对时的优势：{adv_same}")
assert np.all(adv_same == 0)
print("全部检查通过。")
