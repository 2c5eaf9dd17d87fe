/** The legend of a classed choropleth: each class's colour and its range as text. */
import type { Locale } from '../i18n';
import { formatValue, type Unit } from '../i18n/format';
import type { Classes } from './classes';

export interface LegendItem {
	color: string;
	text: string;
}

/** The class breaks as text: the unit's own format, with more decimals where two breaks would read the same. */
export function breakTexts(breaks: readonly number[], unit: Unit, locale: Locale): string[] {
	const plain = breaks.map((v) => formatValue(v, unit, locale));
	if (new Set(plain).size === plain.length) return plain;
	for (let digits = 1; digits <= 4; digits++) {
		const nf = new Intl.NumberFormat(locale, {
			style: unit === 'ratio' ? 'percent' : 'decimal',
			minimumFractionDigits: digits,
			maximumFractionDigits: digits
		});
		const fine = breaks.map((v) => nf.format(v));
		if (new Set(fine).size === fine.length) return fine;
	}
	return plain;
}

/** One item per class: "< b₁", "b₁ – b₂", …, "≥ bₙ" (a single class has no range: its text is empty). */
export function legendItems(classes: Classes, unit: Unit, locale: Locale): LegendItem[] {
	const text = breakTexts(classes.breaks, unit, locale);
	return classes.colors.map((color, i) => {
		const lo = i === 0 ? null : text[i - 1];
		const hi = i < text.length ? text[i] : null;
		return {
			color,
			text:
				lo === null && hi !== null
					? `< ${hi}`
					: hi === null && lo !== null
						? `≥ ${lo}`
						: lo !== null && hi !== null
							? `${lo} – ${hi}`
							: ''
		};
	});
}
