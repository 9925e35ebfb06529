/**
 * Pictures of known text for OCR tests, drawn with @napi-rs/canvas (Skia) in the fonts this
 * machine has (DejaVu and Liberation; neither has CJK glyphs). Unit tests use the pixels; the
 * browser tests use the same pictures as PNG files.
 */
import { createCanvas } from '@napi-rs/canvas';
import { drawPicture, type DrawnPicture } from './drawn-picture';

export interface TextPicture {
	lines: string[];
	font: string;
	/** Font size in pixels. */
	size: number;
	/** Clockwise turn of the whole text block, in degrees. */
	rotation?: number;
	/** Line height as a multiple of the font size. */
	leading?: number;
	/** Make the picture at least this big, with the text in its middle. */
	minWidth?: number;
	minHeight?: number;
	ink?: string;
	paper?: string;
}

export interface RenderedPicture extends DrawnPicture {
	/** The lines joined by newlines: what a perfect reading gives. */
	text: string;
}

export function renderText(picture: TextPicture): RenderedPicture {
	const { lines, font, size, rotation = 0, leading = 1.6 } = picture;
	const fontSpec = `${size}px "${font}"`;
	const measure = createCanvas(1, 1).getContext('2d');
	measure.font = fontSpec;
	const blockWidth = Math.max(...lines.map((line) => measure.measureText(line).width));
	const blockHeight = lines.length * size * leading;
	const radians = (rotation * Math.PI) / 180;
	// The rotated block's bounding box, plus a margin of two font sizes.
	const turnedWidth =
		Math.abs(blockWidth * Math.cos(radians)) + Math.abs(blockHeight * Math.sin(radians));
	const turnedHeight =
		Math.abs(blockWidth * Math.sin(radians)) + Math.abs(blockHeight * Math.cos(radians));
	const width = Math.max(picture.minWidth ?? 0, Math.ceil(turnedWidth + 4 * size));
	const height = Math.max(picture.minHeight ?? 0, Math.ceil(turnedHeight + 4 * size));

	const drawn = drawPicture(width, height, picture.paper ?? '#ffffff', (context) => {
		context.translate(width / 2, height / 2);
		context.rotate(radians);
		context.font = fontSpec;
		context.fillStyle = picture.ink ?? '#111111';
		context.textBaseline = 'middle';
		lines.forEach((line, i) => {
			context.fillText(line, -blockWidth / 2, -blockHeight / 2 + (i + 0.5) * size * leading);
		});
	});
	return {
		...drawn,
		text: lines.join('\n')
	};
}
