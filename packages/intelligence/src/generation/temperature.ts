/** θ → temperature: floor + (cap − floor)·σ(10·(θ − θlow)) (SPEC §6.3 step 5). */
export function temperatureFromTheta(theta: number, floor: number, cap: number, thetaLow: number): number {
  return floor + (cap - floor) * (1 / (1 + Math.exp(-(theta - thetaLow) * 10)));
}
