package org.cnn4j.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API halves of {@link OptimizerKernels}: the same IEEE operations per element in the same
 * order (plain mul/add, no fma), so results equal the scalar loops bit for bit; the tail of each range
 * runs on the scalar loop. Loaded only when {@link VectorSupport#ENABLED}.
 */
final class OptimizerKernelsVector {
  private OptimizerKernelsVector() {}

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  private static int bound(int s, int e) {
    return s + S.loopBound(e - s);
  }

  static void sgd(float[] w, float[] g, float[] buf, boolean first, float lr, float momentum, float oneMinusDampening,
                  float weightDecay, boolean nesterov, int s, int e) {
    int i = s, vEnd = bound(s, e);
    if (buf == null) {
      for (; i < vEnd; i += L) {
        FloatVector wv = FloatVector.fromArray(S, w, i);
        FloatVector d = FloatVector.fromArray(S, g, i).add(wv.mul(weightDecay));
        wv.sub(d.mul(lr)).intoArray(w, i);
      }
    } else {
      for (; i < vEnd; i += L) {
        FloatVector wv = FloatVector.fromArray(S, w, i);
        FloatVector d = FloatVector.fromArray(S, g, i).add(wv.mul(weightDecay));
        FloatVector b = first ? d : FloatVector.fromArray(S, buf, i).mul(momentum).add(d.mul(oneMinusDampening));
        b.intoArray(buf, i);
        FloatVector step = nesterov ? d.add(b.mul(momentum)) : b;
        wv.sub(step.mul(lr)).intoArray(w, i);
      }
    }
    OptimizerKernels.sgdScalar(w, g, buf, first, lr, momentum, oneMinusDampening, weightDecay, nesterov, i, e);
  }

  static void adam(float[] w, float[] g, float[] m, float[] v, float[] vmax, float beta1, float beta2, float eps,
                   float l2, float decay, float stepSize, float sqrtBc2, int s, int e) {
    float c1 = 1 - beta1, c2 = 1 - beta2;
    int i = s, vEnd = bound(s, e);
    for (; i < vEnd; i += L) {
      FloatVector wv = FloatVector.fromArray(S, w, i).mul(decay);
      FloatVector gv = FloatVector.fromArray(S, g, i).add(wv.mul(l2));
      FloatVector mv = FloatVector.fromArray(S, m, i).mul(beta1).add(gv.mul(c1));
      FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(c2).mul(gv));
      mv.intoArray(m, i);
      vv.intoArray(v, i);
      if (vmax != null) {
        vv = FloatVector.fromArray(S, vmax, i).max(vv);
        vv.intoArray(vmax, i);
      }
      FloatVector denom = vv.sqrt().div(sqrtBc2).add(eps);
      wv.sub(mv.div(denom).mul(stepSize)).intoArray(w, i);
    }
    OptimizerKernels.adamScalar(w, g, m, v, vmax, beta1, beta2, eps, l2, decay, stepSize, sqrtBc2, i, e);
  }

  static void rmsprop(float[] w, float[] g, float[] sq, float[] ga, float[] buf, float lr, float alpha, float eps,
                      float weightDecay, float momentum, int s, int e) {
    float c = 1 - alpha;
    int i = s, vEnd = bound(s, e);
    for (; i < vEnd; i += L) {
      FloatVector wv = FloatVector.fromArray(S, w, i);
      FloatVector gv = FloatVector.fromArray(S, g, i).add(wv.mul(weightDecay));
      FloatVector sv = FloatVector.fromArray(S, sq, i).mul(alpha).add(gv.mul(c).mul(gv));
      sv.intoArray(sq, i);
      FloatVector avg;
      if (ga != null) {
        FloatVector av = FloatVector.fromArray(S, ga, i).mul(alpha).add(gv.mul(c));
        av.intoArray(ga, i);
        avg = sv.sub(av.mul(av)).sqrt().add(eps);
      } else {
        avg = sv.sqrt().add(eps);
      }
      if (buf != null) {
        FloatVector b = FloatVector.fromArray(S, buf, i).mul(momentum).add(gv.div(avg));
        b.intoArray(buf, i);
        wv.sub(b.mul(lr)).intoArray(w, i);
      } else {
        wv.sub(gv.div(avg).mul(lr)).intoArray(w, i);
      }
    }
    OptimizerKernels.rmspropScalar(w, g, sq, ga, buf, lr, alpha, eps, weightDecay, momentum, i, e);
  }

  static void adagrad(float[] w, float[] g, float[] sum, float clr, float eps, float weightDecay, int s, int e) {
    int i = s, vEnd = bound(s, e);
    for (; i < vEnd; i += L) {
      FloatVector wv = FloatVector.fromArray(S, w, i);
      FloatVector gv = FloatVector.fromArray(S, g, i).add(wv.mul(weightDecay));
      FloatVector sv = FloatVector.fromArray(S, sum, i).add(gv.mul(gv));
      sv.intoArray(sum, i);
      wv.sub(gv.div(sv.sqrt().add(eps)).mul(clr)).intoArray(w, i);
    }
    OptimizerKernels.adagradScalar(w, g, sum, clr, eps, weightDecay, i, e);
  }

  static void nadam(float[] w, float[] g, float[] m, float[] v, float beta1, float beta2, float eps, float weightDecay,
                    float bc2, float gradCoef, float momentumCoef, int s, int e) {
    float c1 = 1 - beta1, c2 = 1 - beta2;
    int i = s, vEnd = bound(s, e);
    for (; i < vEnd; i += L) {
      FloatVector wv = FloatVector.fromArray(S, w, i);
      FloatVector gv = FloatVector.fromArray(S, g, i).add(wv.mul(weightDecay));
      FloatVector mv = FloatVector.fromArray(S, m, i).mul(beta1).add(gv.mul(c1));
      FloatVector vv = FloatVector.fromArray(S, v, i).mul(beta2).add(gv.mul(c2).mul(gv));
      mv.intoArray(m, i);
      vv.intoArray(v, i);
      FloatVector denom = vv.div(bc2).sqrt().add(eps);
      wv = wv.add(gv.div(denom).mul(gradCoef));
      wv.add(mv.div(denom).mul(momentumCoef)).intoArray(w, i);
    }
    OptimizerKernels.nadamScalar(w, g, m, v, beta1, beta2, eps, weightDecay, bc2, gradCoef, momentumCoef, i, e);
  }
}
