/**
 * MoveNet's own post-processing, done in code on its four heads (all [channels, grid, grid]):
 * pick the person centre with the highest centre score (already weighted towards the image
 * centre by the graph), regress each keypoint's rough position from it, then take the
 * heatmap peak nearest that guess and refine it with the sub-cell offset.
 */
export interface MoveNetHeads {
	grid: number;
	heatmaps: Float32Array;
	centers: Float32Array;
	regression: Float32Array;
	offsets: Float32Array;
}

/** A keypoint in [0, 1] of the model's square input, with its heatmap confidence. */
export interface SquareKeypoint {
	x: number;
	y: number;
	score: number;
}

/** MoveNet's constant: the heatmap is divided by (distance to the regressed guess + 1.8). */
const DISTANCE_BIAS = 1.8;

function argmax(values: Float32Array, start: number, length: number): number {
	let best = start;
	for (let i = start + 1; i < start + length; i++) if (values[i]! > values[best]!) best = i;
	return best - start;
}

export function decodeMoveNet(heads: MoveNetHeads, keypointCount = 17): SquareKeypoint[] {
	const { grid, heatmaps, centers, regression, offsets } = heads;
	const cells = grid * grid;
	const center = argmax(centers, 0, cells);
	const cy = Math.floor(center / grid);
	const cx = center % grid;
	const keypoints: SquareKeypoint[] = [];
	for (let k = 0; k < keypointCount; k++) {
		const guessY = cy + regression[2 * k * cells + center]!;
		const guessX = cx + regression[(2 * k + 1) * cells + center]!;
		let best = 0;
		let bestScore = -Infinity;
		for (let y = 0; y < grid; y++) {
			for (let x = 0; x < grid; x++) {
				const cell = y * grid + x;
				const distance = Math.hypot(y - guessY, x - guessX);
				const weighted = heatmaps[k * cells + cell]! / (distance + DISTANCE_BIAS);
				if (weighted > bestScore) {
					bestScore = weighted;
					best = cell;
				}
			}
		}
		const ky = Math.floor(best / grid);
		const kx = best % grid;
		keypoints.push({
			y: (ky + offsets[2 * k * cells + best]!) / grid,
			x: (kx + offsets[(2 * k + 1) * cells + best]!) / grid,
			score: heatmaps[k * cells + best]!
		});
	}
	return keypoints;
}
