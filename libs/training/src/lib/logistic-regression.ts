import { StandardScaler } from './standard-scaler';
import { checkLabels, checkMatrix } from './validate';

export interface LogisticModel {
  weights: number[];
  bias: number;
}

export interface LogisticFit extends LogisticModel {
  iterations: number;
  converged: boolean;
  /** Final value of the regularised, sample-weighted mean log-loss. */
  loss: number;
}

export interface LogisticTrainOptions {
  /** L2 penalty on the weights (not the bias), added as l2/2·‖w‖² to the mean log-loss. Default 1e-4. */
  l2?: number;
  /** 'balanced' weighs each class by n / (2·n_class), as scikit-learn does, so rare anomalies are not ignored. */
  classWeight?: 'balanced' | { negative: number; positive: number };
  maxIterations?: number;
  /** Stops once the largest gradient component is below this (or the Newton decrement is negligible). Default 1e-12. */
  tolerance?: number;
}

/** Fits binary logistic regression by damped Newton's method (deterministic; expects standardised X). */
export function trainLogisticRegression(
  X: readonly (readonly number[])[],
  y: readonly number[],
  opts: LogisticTrainOptions = {},
): LogisticFit {
  const f = checkMatrix(X);
  checkLabels(y, X.length);
  const l2 = opts.l2 ?? 1e-4;
  if (!(l2 >= 0)) throw new RangeError('l2 must be ≥ 0');
  const maxIterations = opts.maxIterations ?? 100;
  const tolerance = opts.tolerance ?? 1e-12;
  const sampleWeight = classWeights(y, opts.classWeight);
  const totalWeight = sampleWeight.reduce((a, b) => a + b, 0);

  // theta = [w_0 … w_{f-1}, b]; Newton needs only an (f+1)² solve per step, which suits the small feature counts here
  const dim = f + 1;
  let theta = new Array<number>(dim).fill(0);
  let state = evaluate(theta, X, y, sampleWeight, totalWeight, l2, true);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if (Math.max(...state.gradient.map(Math.abs)) < tolerance) {
      converged = true;
      break;
    }
    const step = solveSpd(
      state.hessian,
      state.gradient.map((g) => -g),
    );
    const slope = dot(state.gradient, step);
    // Newton decrement λ² = -slope ≈ twice the remaining loss reduction
    const decrement = -slope;
    if (decrement <= 1e-24) {
      converged = true;
      break;
    }
    let t = 1;
    // Armijo backtracking while far from the optimum (a full step can overshoot on nearly separable data). Near it
    // (λ² ≤ 1e-8, deep inside Newton's quadratic region) full steps are safe, and the loss changes would sink into
    // the rounding noise of summing n log-losses, which could fail a line search for no reason
    if (decrement > 1e-8) {
      while (
        evaluate(axpy(theta, t, step), X, y, sampleWeight, totalWeight, l2, false).loss >
        state.loss - 1e-4 * t * decrement
      ) {
        t /= 2;
        if (t < 1e-10)
          throw new RangeError('line search failed: the Newton direction does not reduce the loss');
      }
    }
    theta = axpy(theta, t, step);
    state = evaluate(theta, X, y, sampleWeight, totalWeight, l2, true);
  }
  return { weights: theta.slice(0, f), bias: theta[f], iterations, converged, loss: state.loss };
}

/** Scores rows as sigmoid(x·w + b), standardising them first when a scaler is given (as the ONNX graph does). */
export function predictLogistic(
  X: readonly (readonly number[])[],
  model: LogisticModel,
  scaler?: StandardScaler,
): number[] {
  const f = model.weights.length;
  return X.map((row, i) => {
    if (row.length !== f) throw new RangeError(`row ${i} has ${row.length} features, the model ${f}`);
    let z = model.bias;
    for (let j = 0; j < f; j++) {
      const x = scaler ? (row[j] - scaler.mean[j]) / scaler.scale[j] : row[j];
      z += x * model.weights[j];
    }
    return sigmoid(z);
  });
}

function classWeights(y: readonly number[], option: LogisticTrainOptions['classWeight']): number[] {
  if (option === undefined) return y.map(() => 1);
  let positive: number;
  let negative: number;
  if (option === 'balanced') {
    const nPos = y.reduce((a, b) => a + b, 0);
    const nNeg = y.length - nPos;
    if (nPos === 0 || nNeg === 0) throw new RangeError("classWeight 'balanced' needs both classes in y");
    positive = y.length / (2 * nPos);
    negative = y.length / (2 * nNeg);
  } else {
    ({ positive, negative } = option);
    if (!(positive > 0 && negative > 0)) throw new RangeError('class weights must be > 0');
  }
  return y.map((v) => (v === 1 ? positive : negative));
}

interface Evaluation {
  loss: number;
  gradient: number[];
  hessian: number[][];
}

function evaluate(
  theta: readonly number[],
  X: readonly (readonly number[])[],
  y: readonly number[],
  sw: readonly number[],
  totalWeight: number,
  l2: number,
  withDerivatives: boolean,
): Evaluation {
  const f = theta.length - 1;
  const gradient = new Array<number>(f + 1).fill(0);
  const hessian = withDerivatives
    ? Array.from({ length: f + 1 }, () => new Array<number>(f + 1).fill(0))
    : [];
  let loss = 0;
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    let z = theta[f];
    for (let j = 0; j < f; j++) z += row[j] * theta[j];
    // log(1 + e^{-z}) for positives, log(1 + e^{z}) for negatives, without overflow
    loss += sw[i] * softplus(y[i] === 1 ? -z : z);
    if (!withDerivatives) continue;
    const p = sigmoid(z);
    const r = sw[i] * (p - y[i]);
    const h = sw[i] * p * (1 - p);
    for (let j = 0; j < f; j++) {
      gradient[j] += r * row[j];
      const hj = h * row[j];
      for (let k = 0; k <= j; k++) hessian[j][k] += hj * row[k];
      hessian[f][j] += hj;
    }
    gradient[f] += r;
    hessian[f][f] += h;
  }
  let penalty = 0;
  for (let j = 0; j < f; j++) penalty += theta[j] * theta[j];
  loss = loss / totalWeight + (l2 / 2) * penalty;
  if (withDerivatives) {
    for (let j = 0; j <= f; j++) {
      gradient[j] = gradient[j] / totalWeight + (j < f ? l2 * theta[j] : 0);
      for (let k = 0; k <= j; k++) {
        hessian[j][k] /= totalWeight;
        hessian[k][j] = hessian[j][k];
      }
      if (j < f) hessian[j][j] += l2;
    }
  }
  return { loss, gradient, hessian };
}

/** Solves A·x = b for symmetric positive (semi)definite A by Cholesky, adding jitter when A is near singular. */
function solveSpd(A: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const trace = A.reduce((s, row, i) => s + row[i], 0);
  // separable data drive p(1-p) → 0, so without l2 the Hessian can be singular; a growing ridge keeps the step defined
  const unit = trace / n + 1;
  for (const jitter of [0, 1e-12, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1].map((r) => r * unit)) {
    const L = cholesky(A, jitter);
    if (!L) continue;
    const z = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = b[i];
      for (let k = 0; k < i; k++) s -= L[i][k] * z[k];
      z[i] = s / L[i][i];
    }
    const x = new Array<number>(n).fill(0);
    for (let i = n - 1; i >= 0; i--) {
      let s = z[i];
      for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
      x[i] = s / L[i][i];
    }
    return x;
  }
  throw new RangeError('Hessian is not positive definite; the training data may contain non-finite values');
}

function cholesky(A: readonly (readonly number[])[], jitter: number): number[][] | null {
  const n = A.length;
  const L = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i][j] + (i === j ? jitter : 0);
      for (let k = 0; k < j; k++) s -= L[i][k] * L[j][k];
      if (i === j) {
        if (!(s > 0)) return null;
        L[i][i] = Math.sqrt(s);
      } else {
        L[i][j] = s / L[j][j];
      }
    }
  }
  return L;
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function axpy(x: readonly number[], a: number, d: readonly number[]): number[] {
  return x.map((v, i) => v + a * d[i]);
}
