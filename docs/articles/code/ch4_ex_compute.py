"""第 4 章练习 2 与 3：用 6ND 估算 LLaMA-65B 的训练算力；Kaplan 参数幂律下损失减半所需的规模。只用标准库。"""
import math

c_llama = 6 * 65e9 * 1.4e12  # LLaMA-65B：650 亿参数、1.4 万亿词元（Touvron et al., 2023）
c_gpt3 = 6 * 175e9 * 300e9   # GPT-3：1750 亿参数、3000 亿词元，同样用 6ND 计
print(f"LLaMA-65B: {c_llama:.2e} FLOPs")
print(f"GPT-3: {c_gpt3:.2e} FLOPs")
print(f"LLaMA-65B / GPT-3 = {c_llama / c_gpt3:.2f}")
assert c_llama > c_gpt3

alpha_n = 0.076  # Kaplan et al. (2020) 的参数量指数
factor = 2 ** (1 / alpha_n)
print(f"损失减半需要参数量扩大 {factor:.0f} 倍（约 10^{math.log10(factor):.1f}）")
assert math.isclose((1 / factor) ** alpha_n, 0.5)
