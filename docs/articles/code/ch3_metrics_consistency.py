"""第 3 章示例：检查原文 §5.4 结果表中准确率、精确率、召回率是否自洽。

二分类中，设正类占比为 pi，精确率为 P，召回率为 R（都按正类计算），则
    TP = R * pi,  FP = TP * (1 - P) / P,  TN = (1 - pi) - FP
    Accuracy = TP + TN = 1 - pi * (1 - R * (2P - 1) / P)
IMDB 测试集 25,000 条，正负各 12,500 条（pi = 0.5）。
"""
import numpy as np


def implied_accuracy(precision, recall, pos_rate):
    tp = recall * pos_rate
    fp = tp * (1 - precision) / precision
    tn = (1 - pos_rate) - fp
    assert tn >= 0, "给定 P、R、pi 不可能同时成立"
    return tp + tn


def implied_pos_rate(accuracy, precision, recall):
    """已知三项指标，反推正类占比 pi。"""
    return (1 - accuracy) / (1 - recall * (2 * precision - 1) / precision)


def confusion_from_counts(n_pos, n_neg, precision, recall):
    tp = recall * n_pos
    fp = tp * (1 - precision) / precision
    return tp, fp, n_neg - fp, n_pos - tp  # TP, FP, TN, FN


def main():
    rows = {"验证集": (0.89, 0.85, 0.90), "测试集": (0.88, 0.84, 0.91)}  # (Acc, P, R)，摘自原文
    for name, (acc, p, r) in rows.items():
        acc_balanced = implied_accuracy(p, r, 0.5)
        pi = implied_pos_rate(acc, p, r)
        print(f"{name}：原文 Acc={acc:.2f}；若类别均衡，P={p:.2f}、R={r:.2f} 推出 Acc={acc_balanced:.4f}；"
              f"要得到原文的 Acc，正类须占 {pi:.1%}")
        assert abs(acc_balanced - acc) > 0.005  # 与原文不一致
        assert np.isclose(implied_accuracy(p, r, pi), acc)

    # 用 IMDB 测试集的真实规模再算一遍混淆矩阵
    tp, fp, tn, fn = confusion_from_counts(12500, 12500, 0.84, 0.91)
    acc = (tp + tn) / 25000
    print(f"IMDB 测试集（12,500 正 / 12,500 负）：TP={tp:.0f} FP={fp:.0f} TN={tn:.0f} FN={fn:.0f} Acc={acc:.4f}")
    assert np.isclose(tp / (tp + fp), 0.84) and np.isclose(tp / (tp + fn), 0.91)
    assert np.isclose(acc, implied_accuracy(0.84, 0.91, 0.5))
    assert acc < 0.875  # 达不到原文的 0.88
    print("全部检查通过。")


if __name__ == "__main__":
    main()
