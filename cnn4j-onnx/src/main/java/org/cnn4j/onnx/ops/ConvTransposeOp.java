package org.cnn4j.onnx.ops;

import org.cnn4j.autograd.Node;
import org.cnn4j.tensor.Tensor;

/**
 * 2D transposed convolution (ONNX ConvTranspose, PyTorch's ConvTranspose2d), one group, plain loops.
 * x [N, C, H, W], w [C, M, kH, kW], b [M] or null; output size
 * {@code (H - 1) * stride - padTop - padBottom + dilation * (kH - 1) + outputPadding + 1}.
 * forward: y[n, m, h*s - pt + i*d, w*s - pl + j*d] += x[n, c, h, w] * w[c, m, i, j] (+ b[m]).
 * backward: dx[n, c, h, w] = sum dy[n, m, oh, ow] * w[c, m, i, j] over the same index pairs;
 * dw[c, m, i, j] = sum x[n, c, h, w] * dy[n, m, oh, ow]; db[m] = sum dy[n, m, ., .].
 */
public final class ConvTransposeOp {
    private ConvTransposeOp() {}

    public record Geometry(int strideH, int strideW, int padTop, int padLeft, int padBottom, int padRight,
                           int dilationH, int dilationW, int outPadH, int outPadW) {
        public int outH(int inH, int kH) {
            return (inH - 1) * strideH - padTop - padBottom + dilationH * (kH - 1) + outPadH + 1;
        }

        public int outW(int inW, int kW) {
            return (inW - 1) * strideW - padLeft - padRight + dilationW * (kW - 1) + outPadW + 1;
        }
    }

    public static Tensor apply(Tensor x, Tensor w, Tensor b, Geometry g) {
        if (x.rank() != 4 || w.rank() != 4 || x.size(1) != w.size(0))
            throw new IllegalArgumentException("ConvTranspose: input " + org.cnn4j.tensor.Shape.str(x.shape()) + " and weight "
                    + org.cnn4j.tensor.Shape.str(w.shape()) + " must be [N, C, H, W] and [C, M, kH, kW]");
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3);
        int m = w.size(1), kh = w.size(2), kw = w.size(3);
        int oh = g.outH(h, kh), ow = g.outW(wd, kw);
        if (oh <= 0 || ow <= 0) throw new IllegalArgumentException("ConvTranspose: output size " + oh + "x" + ow + " is not positive");
        float[] xa = x.data(), wa = w.data(), y = new float[n * m * oh * ow];
        for (int ni = 0; ni < n; ni++)
            for (int ci = 0; ci < c; ci++)
                for (int hi = 0; hi < h; hi++)
                    for (int wi = 0; wi < wd; wi++) {
                        float v = xa[((ni * c + ci) * h + hi) * wd + wi];
                        if (v == 0f) continue;
                        for (int mi = 0; mi < m; mi++)
                            for (int i = 0; i < kh; i++) {
                                int r = hi * g.strideH() - g.padTop() + i * g.dilationH();
                                if (r < 0 || r >= oh) continue;
                                int yRow = ((ni * m + mi) * oh + r) * ow, wRow = ((ci * m + mi) * kh + i) * kw;
                                for (int j = 0; j < kw; j++) {
                                    int col = wi * g.strideW() - g.padLeft() + j * g.dilationW();
                                    if (col >= 0 && col < ow) y[yRow + col] += v * wa[wRow + j];
                                }
                            }
                    }
        if (b != null) {
            float[] ba = b.data();
            for (int ni = 0; ni < n; ni++)
                for (int mi = 0; mi < m; mi++) {
                    int base = (ni * m + mi) * oh * ow;
                    for (int k = 0; k < oh * ow; k++) y[base + k] += ba[mi];
                }
        }
        Tensor result = new Tensor(y, n, m, oh, ow);
        if (Node.needsGrad(x, w, b)) result.attach(new Node(x, w, b) {
            @Override
            protected void backward(float[] dy) {
                float[] dx = gradOf(x), dw = gradOf(w), db = gradOf(b);
                for (int ni = 0; ni < n; ni++)
                    for (int ci = 0; ci < c; ci++)
                        for (int hi = 0; hi < h; hi++)
                            for (int wi = 0; wi < wd; wi++) {
                                int xIndex = ((ni * c + ci) * h + hi) * wd + wi;
                                float v = xa[xIndex], acc = 0f;
                                for (int mi = 0; mi < m; mi++)
                                    for (int i = 0; i < kh; i++) {
                                        int r = hi * g.strideH() - g.padTop() + i * g.dilationH();
                                        if (r < 0 || r >= oh) continue;
                                        int yRow = ((ni * m + mi) * oh + r) * ow, wRow = ((ci * m + mi) * kh + i) * kw;
                                        for (int j = 0; j < kw; j++) {
                                            int col = wi * g.strideW() - g.padLeft() + j * g.dilationW();
                                            if (col < 0 || col >= ow) continue;
                                            float gy = dy[yRow + col];
                                            acc += gy * wa[wRow + j];
                                            if (dw != null) dw[wRow + j] += v * gy;
                                        }
                                    }
                                if (dx != null) dx[xIndex] += acc;
                            }
                if (db != null)
                    for (int ni = 0; ni < n; ni++)
                        for (int mi = 0; mi < m; mi++) {
                            int base = (ni * m + mi) * oh * ow;
                            float s = 0f;
                            for (int k = 0; k < oh * ow; k++) s += dy[base + k];
                            db[mi] += s;
                        }
            }

            @Override
            public String name() {
                return "ConvTranspose";
            }
        });
        return result;
    }
}
