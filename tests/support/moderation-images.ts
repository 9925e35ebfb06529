/**
 * Safe pictures for the moderation tests, drawn here so no photo's licence is in question: a
 * flat-coloured cartoon (a house under a sun, which the model should call a drawing) and a
 * photo-like landscape (smooth sky, textured ground, soft shading).
 */
import { drawPicture, type DrawnPicture } from './drawn-picture';

export type ModerationPicture = DrawnPicture;

/** A cartoon house, tree and sun with black outlines on flat colours. */
export function drawCartoon(width = 320, height = 240): ModerationPicture {
	return drawPicture(width, height, '#ffffff', (g) => {
		g.scale(width / 320, height / 240);
		g.lineWidth = 4;
		g.strokeStyle = '#000000';
		const shape = (fill: string, draw: () => void) => {
			g.fillStyle = fill;
			g.beginPath();
			draw();
			g.fill();
			g.stroke();
		};
		shape('#ffd200', () => g.arc(265, 50, 28, 0, Math.PI * 2));
		shape('#e63b2e', () => g.rect(70, 110, 120, 100));
		shape(
			'#3a60c9',
			() => (g.moveTo(55, 112), g.lineTo(130, 45), g.lineTo(205, 112), g.closePath())
		);
		shape('#ffffff', () => g.rect(90, 130, 30, 30));
		shape('#7a4a1c', () => g.rect(140, 150, 30, 60));
		shape('#7a4a1c', () => g.rect(245, 140, 18, 70));
		shape('#2fb34a', () => g.arc(254, 120, 35, 0, Math.PI * 2));
		g.beginPath();
		g.moveTo(0, 210);
		g.lineTo(320, 210);
		g.stroke();
	});
}

/** A landscape with gradients and seeded texture, closer to a photograph than to a drawing. */
export function drawLandscape(width = 300, height = 200): ModerationPicture {
	return drawPicture(width, height, '#c9dcea', (g) => {
		const sky = g.createLinearGradient(0, 0, 0, height * 0.6);
		sky.addColorStop(0, '#5d8fc9');
		sky.addColorStop(1, '#c9dcea');
		g.fillStyle = sky;
		g.fillRect(0, 0, width, height);
		const ground = g.createLinearGradient(0, height * 0.55, 0, height);
		ground.addColorStop(0, '#6b7d3f');
		ground.addColorStop(1, '#3d4a22');
		g.fillStyle = ground;
		g.fillRect(0, height * 0.55, width, height * 0.45);
		let seed = 42;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let i = 0; i < 4000; i++) {
			const shade = Math.floor(40 + random() * 60);
			g.fillStyle = `rgba(${shade}, ${shade + 20}, ${Math.floor(shade / 2)}, 0.35)`;
			g.fillRect(random() * width, height * 0.55 + random() * height * 0.45, 2, 2);
		}
	});
}
