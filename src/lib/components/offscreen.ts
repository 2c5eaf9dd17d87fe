/**
 * Work that only matters once seen: whether an element is on screen or near it (within a quarter of the
 * viewport's height above or below), and running a task when the browser is idle. Charts use them to redraw the visible ones
 * first after a filter change and the others in the pauses that follow (or as they come near the screen).
 * Without IntersectionObserver (old browsers, server rendering) everything counts as near.
 */

/** How far outside the viewport an element still counts as near (CSS margin of the observer's root). */
export const NEAR_MARGIN = '25% 0px';

const listeners = new Map<Element, (near: boolean) => void>();
let observer: IntersectionObserver | null = null;

/** Call `onChange` with whether `element` is near the screen, now (asynchronously) and on each change. */
export function watchNear(element: Element, onChange: (near: boolean) => void): () => void {
	if (typeof IntersectionObserver === 'undefined') return () => {};
	observer ??= new IntersectionObserver(
		(entries) => {
			for (const e of entries) listeners.get(e.target)?.(e.isIntersecting);
		},
		{ rootMargin: NEAR_MARGIN }
	);
	listeners.set(element, onChange);
	observer.observe(element);
	return () => {
		observer?.unobserve(element);
		listeners.delete(element);
	};
}

/** Run `task` once the browser is idle, at the latest after `timeoutMs`; returns a cancel function. */
export function whenIdle(task: () => void, timeoutMs = 1000): () => void {
	if (typeof requestIdleCallback === 'function') {
		const id = requestIdleCallback(() => task(), { timeout: timeoutMs });
		return () => cancelIdleCallback(id);
	}
	const id = setTimeout(task, 50);
	return () => clearTimeout(id);
}
