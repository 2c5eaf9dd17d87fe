/** A `timebank:*` performance mark (for the benchmark and the browser's performance panel); never fails. */
export function mark(name: string): void {
	try {
		performance.mark(`timebank:${name}`);
	} catch {
		/* no User Timing API */
	}
}
