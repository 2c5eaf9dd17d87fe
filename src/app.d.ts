// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		// interface Error {}
		// interface Locals {}
		// interface PageData {}
		interface PageState {
			/** The search string of a shallow navigation (a filter change; src/lib/components/live.svelte.ts). */
			search?: string;
		}
		// interface Platform {}
	}
}

export {};
