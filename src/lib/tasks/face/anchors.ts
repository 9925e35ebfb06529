/**
 * BlazeFace's anchors for a 256x256 input, in the order of its outputs: a 16x16 grid (stride
 * 16) with 2 anchors per cell, then an 8x8 grid (stride 32) with 6. Every anchor of a cell sits
 * at the cell's centre with a fixed size, so an anchor is just a centre in input pixels.
 */
export interface AnchorGrid {
	stride: number;
	perCell: number;
}

export const BLAZEFACE_GRIDS: readonly AnchorGrid[] = [
	{ stride: 16, perCell: 2 },
	{ stride: 32, perCell: 6 }
];

export function anchorCentres(size: number, grid: AnchorGrid): { x: number; y: number }[] {
	const cells = size / grid.stride;
	const centres: { x: number; y: number }[] = [];
	for (let y = 0; y < cells; y++) {
		for (let x = 0; x < cells; x++) {
			const centre = { x: (x + 0.5) * grid.stride, y: (y + 0.5) * grid.stride };
			for (let a = 0; a < grid.perCell; a++) centres.push(centre);
		}
	}
	return centres;
}
