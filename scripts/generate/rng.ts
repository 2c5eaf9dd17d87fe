/**
 * Small seeded pseudo-random generator for the sample data (sfc32, seeded through a
 * string hash). Never uses Math.random: the same seed always gives the same stream.
 */

/** Hash a string into four 32-bit words (a simple multiply-xorshift mix) to seed sfc32. */
function seedWords(text: string): [number, number, number, number] {
	let h1 = 0x6a09e667 ^ text.length;
	let h2 = 0xbb67ae85;
	let h3 = 0x3c6ef372;
	let h4 = 0xa54ff53a;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ c, 0x85ebca6b);
		h2 = Math.imul(h2 ^ c, 0xc2b2ae35);
		h3 = Math.imul(h3 ^ c, 0x27d4eb2f);
		h4 = Math.imul(h4 ^ c, 0x165667b1);
		h1 = (h1 << 13) | (h1 >>> 19);
		h2 = (h2 << 17) | (h2 >>> 15);
		h3 = (h3 << 11) | (h3 >>> 21);
		h4 = (h4 << 7) | (h4 >>> 25);
		h1 = (h1 + h2) | 0;
		h2 = (h2 ^ h3) | 0;
		h3 = (h3 + h4) | 0;
		h4 = (h4 ^ h1) | 0;
	}
	return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

export class Rng {
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	private spare: number | null = null;

	constructor(seed: string) {
		[this.a, this.b, this.c, this.d] = seedWords(seed);
		for (let i = 0; i < 16; i++) this.next();
	}

	/** Uniform in [0, 1). sfc32 step. */
	next(): number {
		const t = (((this.a + this.b) | 0) + this.d) | 0;
		this.d = (this.d + 1) | 0;
		this.a = this.b ^ (this.b >>> 9);
		this.b = (this.c + (this.c << 3)) | 0;
		this.c = (this.c << 21) | (this.c >>> 11);
		this.c = (this.c + t) | 0;
		return (t >>> 0) / 4294967296;
	}

	/** Integer in [lo, hi] inclusive. */
	int(lo: number, hi: number): number {
		return lo + Math.floor(this.next() * (hi - lo + 1));
	}

	uniform(lo: number, hi: number): number {
		return lo + this.next() * (hi - lo);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(items: readonly T[]): T {
		return items[Math.floor(this.next() * items.length)];
	}

	/** Index drawn with probability proportional to `weights`. */
	weighted(weights: readonly number[]): number {
		let total = 0;
		for (const w of weights) total += w;
		let u = this.next() * total;
		for (let i = 0; i < weights.length; i++) {
			u -= weights[i];
			if (u < 0) return i;
		}
		return weights.length - 1;
	}

	/** Standard normal (Box–Muller). */
	normal(): number {
		if (this.spare !== null) {
			const s = this.spare;
			this.spare = null;
			return s;
		}
		let u = 0;
		while (u === 0) u = this.next();
		const v = this.next();
		const r = Math.sqrt(-2 * Math.log(u));
		this.spare = r * Math.sin(2 * Math.PI * v);
		return r * Math.cos(2 * Math.PI * v);
	}

	lognormal(median: number, sigma: number): number {
		return median * Math.exp(sigma * this.normal());
	}

	exponential(mean: number): number {
		return -mean * Math.log(1 - this.next());
	}

	/** Round x to an integer, up with probability equal to its fraction (keeps expected totals). */
	roundStochastic(x: number): number {
		const f = Math.floor(x);
		return f + (this.next() < x - f ? 1 : 0);
	}

	/** Poisson draw (Knuth for small means, normal approximation for large ones). */
	poisson(mean: number): number {
		if (mean <= 0) return 0;
		if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
		const l = Math.exp(-mean);
		let k = 0;
		let p = 1;
		do {
			k++;
			p *= this.next();
		} while (p > l);
		return k - 1;
	}
}

/** Cumulative-weight sampler over a fixed list (binary search, O(log n) per draw). */
export class CumulativeSampler {
	readonly cum: Float64Array;
	constructor(weights: ArrayLike<number>) {
		this.cum = new Float64Array(weights.length);
		let s = 0;
		for (let i = 0; i < weights.length; i++) {
			s += weights[i];
			this.cum[i] = s;
		}
	}
	get total(): number {
		return this.cum.length ? this.cum[this.cum.length - 1] : 0;
	}
	/** Draw an index among the first `n` entries (all when omitted). Returns -1 when they weigh nothing. */
	draw(rng: Rng, n: number = this.cum.length): number {
		if (n <= 0) return -1;
		const total = this.cum[n - 1];
		if (!(total > 0)) return -1;
		const u = rng.next() * total;
		let lo = 0;
		let hi = n - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.cum[mid] > u) hi = mid;
			else lo = mid + 1;
		}
		return lo;
	}
}

/** First index i in sorted `arr` with arr[i] >= x (arr.length when none). */
export function lowerBound(arr: ArrayLike<number>, x: number): number {
	let lo = 0;
	let hi = arr.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (arr[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
