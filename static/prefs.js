// Display preferences remembered by the browser, applied before the first paint (no inline script: CSP).
try {
	if (localStorage.getItem('timebank:elder') === '1') document.documentElement.classList.add('elder');
} catch {
	/* storage unavailable: default display */
}
