"""练习：从混淆矩阵算准确率、精确率、召回率和 F1（不均衡数据上的准确率陷阱）。"""

TP, FP, FN, TN = 40, 10, 20, 930

accuracy = (TP + TN) / (TP + FP + FN + TN)
precision = TP / (TP + FP)
recall = TP / (TP + FN)
f1 = 2 * precision * recall / (precision + recall)
# 全部预测为负类的“模型”
lazy_accuracy = (FP + TN) / (TP + FP + FN + TN)

assert abs(f1 - 2 * TP / (2 * TP + FP + FN)) < 1e-12  # F1 的等价写法
assert min(precision, recall) <= f1 <= max(precision, recall)
assert lazy_accuracy > 0.9 and accuracy > lazy_accuracy

print(f"准确率 {accuracy:.3f}，精确率 {precision:.3f}，召回率 {recall:.3f}，F1 {f1:.3f}")
print(f"全部判为负类：准确率 {lazy_accuracy:.3f}，召回率 0.000")
