"""深度学习常用浮点格式：由指数位数和尾数位数算出最大有限值、最小正规数和相对精度。

IEEE 式格式（FP32、FP16、BF16、E5M2）把全 1 指数留给无穷和 NaN；
FP8 的 E4M3 不表示无穷，只把“指数全 1 且尾数全 1”留作 NaN，因此最大值用到全 1 指数（Micikevicius 等 2022）。
"""


def ieee_like(exp_bits: int, man_bits: int):
    bias = 2 ** (exp_bits - 1) - 1
    max_exp = (2**exp_bits - 2) - bias  # 全 1 指数保留
    max_val = (2 - 2.0**-man_bits) * 2.0**max_exp
    min_normal = 2.0 ** (1 - bias)
    return max_val, min_normal, 2.0**-man_bits


def e4m3():
    exp_bits, man_bits = 4, 3
    bias = 2 ** (exp_bits - 1) - 1
    max_exp = (2**exp_bits - 1) - bias  # 全 1 指数可用于有限数
    max_val = (2 - 2 * 2.0**-man_bits) * 2.0**max_exp  # 尾数 111 留作 NaN，最大尾数为 110
    return max_val, 2.0 ** (1 - bias), 2.0**-man_bits


formats = {
    "FP32 (E8M23)": ieee_like(8, 23),
    "FP16 (E5M10)": ieee_like(5, 10),
    "BF16 (E8M7)": ieee_like(8, 7),
    "FP8 E5M2": ieee_like(5, 2),
    "FP8 E4M3": e4m3(),
}
print("格式 | 最大有限值 | 最小正规数 | 相对精度（1 与下一个数之差）")
for name, (max_val, min_normal, eps) in formats.items():
    print(f"{name} | {max_val:.6g} | {min_normal:.3g} | {eps:.3g}")

assert formats["FP16 (E5M10)"][0] == 65504.0
assert formats["FP8 E5M2"][0] == 57344.0
assert formats["FP8 E4M3"][0] == 448.0
# BF16 与 FP32 指数位相同，动态范围几乎一样，但精度只有 2^-7
assert abs(formats["BF16 (E8M7)"][0] / formats["FP32 (E8M23)"][0] - 1) < 0.01
assert formats["BF16 (E8M7)"][1] == formats["FP32 (E8M23)"][1]
