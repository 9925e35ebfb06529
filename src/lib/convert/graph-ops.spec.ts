/**
 * Each op family of the graph converter against tfjs 4.22 (CPU backend): tiny graph-models are
 * built by hand, converted and run in onnxruntime-node, and the very same files run in tfjs.
 */
import { describe, it } from 'vitest';
import {
	b64,
	checkAgainstTfjs,
	constant,
	ints,
	op,
	placeholder,
	values
} from '../../../scripts/models/tfjs/tiny-check';

const x234 = { name: 'x', dtype: 'float32' as const, shape: [2, 3, 4], data: values(24, -2, 2) };
const pos234 = {
	name: 'p',
	dtype: 'float32' as const,
	shape: [2, 3, 4],
	data: values(24, 0.1, 3, 3)
};
const i32 = (name: string, data: number[], shape = [data.length]) =>
	constant(name, 'int32', shape, data);

describe('elementwise and activation ops', () => {
	it('computes binary ops with broadcasting like tfjs', async () => {
		const y = constant('y', 'float32', [4], [0.5, -1, 2, 3]);
		const binaries = ['AddV2', 'Sub', 'Mul', 'RealDiv', 'Maximum', 'Minimum', 'SquaredDifference'];
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				placeholder('p', 'float32', [2, 3, 4]),
				...binaries.map((type) => op(type, type, ['x', 'y'])),
				op('Pow', 'Pow', ['p', 'y']),
				op('AddN', 'AddN', ['x', 'p', 'x']),
				op('Atan2', 'Atan2', ['y', 'x'])
			],
			[y],
			[x234, pos234],
			[...binaries, 'Pow', 'AddN', 'Atan2'],
			1e-4
		);
	});

	it('computes unary ops and activations like tfjs', async () => {
		const onX = [
			'Neg',
			'Abs',
			'Floor',
			'Ceil',
			'Round',
			'Sign',
			'Sigmoid',
			'Tanh',
			'Relu',
			'Relu6'
		];
		const more = ['Elu', 'Selu', 'Softplus', 'Exp', 'Sin', 'Cos', 'Square', 'Erf', 'Atan'];
		const onP = ['Sqrt', 'Rsqrt', 'Log', 'Reciprocal', 'Log1p'];
		const alpha = constant('alpha', 'float32', [4], [0.1, 0.2, 0.3, 0.4]);
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				placeholder('p', 'float32', [2, 3, 4]),
				...[...onX, ...more].map((type) => op(type, type, ['x'])),
				...onP.map((type) => op(type, type, ['p'])),
				op('LeakyRelu', 'LeakyRelu', ['x'], { alpha: { f: 0.3 } }),
				op('Prelu', 'Prelu', ['x', 'alpha'])
			],
			[alpha],
			[x234, pos234],
			[...onX, ...more, ...onP, 'LeakyRelu', 'Prelu'],
			1e-5
		);
	});

	it('compares, selects and casts like tfjs', async () => {
		const zero = constant('zero', 'float32', [], [0]);
		const compares = ['Less', 'Greater', 'LessEqual', 'GreaterEqual', 'Equal', 'NotEqual'];
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				placeholder('p', 'float32', [2, 3, 4]),
				op('r', 'Round', ['x']),
				...compares.map((type) => op(type, type, ['r', 'zero'])),
				op('LogicalNot', 'LogicalNot', ['Less']),
				op('LogicalAnd', 'LogicalAnd', ['Less', 'NotEqual']),
				op('LogicalOr', 'LogicalOr', ['Greater', 'Equal']),
				op('SelectV2', 'SelectV2', ['Less', 'x', 'p']),
				op('ToFloat', 'Cast', ['LogicalOr'], { DstT: { type: 1 } }),
				op('ToInt', 'Cast', ['x'], { DstT: { type: 'DT_INT32' } })
			],
			[zero],
			[x234, pos234],
			[...compares, 'LogicalNot', 'LogicalAnd', 'LogicalOr', 'SelectV2', 'ToFloat', 'ToInt']
		);
	});

	it('floors divisions and modulos of negative numbers as TF does', async () => {
		const d = constant('d', 'float32', [], [3]);
		const di = i32('di', [3], []);
		const ints_ = { name: 'i', dtype: 'int32' as const, shape: [6], data: [-7, -3, -1, 0, 4, 8] };
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				placeholder('i', 'int32', [6]),
				op('FloorDiv', 'FloorDiv', ['x', 'd']),
				op('FloorMod', 'FloorMod', ['x', 'd']),
				op('FloorDivI', 'FloorDiv', ['i', 'di']),
				op('FloorModI', 'FloorMod', ['i', 'di'])
			],
			[d, di],
			[x234, ints_],
			['FloorDiv', 'FloorMod', 'FloorDivI', 'FloorModI']
		);
	});
});

describe('reductions, softmax and matrix products', () => {
	it('reduces with and without keep_dims, including booleans and ArgMax', async () => {
		const a1 = i32('a1', [1]);
		const a02 = i32('a02', [0, -1]);
		const reducers = ['Mean', 'Sum', 'Max', 'Min', 'Prod'];
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				...reducers.flatMap((type) => [
					op(`${type}K`, type, ['x', 'a1'], { keep_dims: { b: true } }),
					op(type, type, ['x', 'a02'], { keep_dims: { b: false } })
				]),
				op('pos', 'Greater', ['x', 'MeanK']),
				op('All', 'All', ['pos', 'a1'], { keep_dims: { b: false } }),
				op('Any', 'Any', ['pos', 'a02'], { keep_dims: { b: true } }),
				op('ArgMax', 'ArgMax', ['x', 'a1'], { output_type: { type: 'DT_INT32' } })
			],
			[a1, a02],
			[x234],
			[...reducers.flatMap((type) => [`${type}K`, type]), 'All', 'Any', 'ArgMax'],
			1e-5
		);
	});

	it('runs Softmax, MatMul with transposes, FusedMatMul and 4-D BatchMatMul with adj_x/adj_y', async () => {
		const w = constant('w', 'float32', [5, 4], values(20, -1, 1, 11));
		const bias = constant('bias', 'float32', [5], values(5, -1, 1, 12));
		await checkAgainstTfjs(
			[
				placeholder('m', 'float32', [3, 4]),
				placeholder('a', 'float32', [2, 3, 4, 5]),
				placeholder('b', 'float32', [2, 3, 6, 4]),
				op('Softmax', 'Softmax', ['m']),
				op('LogSoftmax', 'LogSoftmax', ['m']),
				op('MatMul', 'MatMul', ['m', 'w'], { transpose_b: { b: true } }),
				op('MatMulT', 'MatMul', ['m', 'm'], { transpose_a: { b: true } }),
				op('Fused', '_FusedMatMul', ['m', 'w', 'bias'], {
					transpose_b: { b: true },
					num_args: { i: '1' },
					fused_ops: { list: { s: [b64('BiasAdd'), b64('Relu')] } }
				}),
				op('BiasAdd', 'BiasAdd', ['MatMul', 'bias'], { data_format: { s: [78, 72, 87, 67] } }),
				op('BMM', 'BatchMatMulV2', ['a', 'b'], { adj_x: { b: true }, adj_y: { b: true } })
			],
			[w, bias],
			[
				{ name: 'm', dtype: 'float32', shape: [3, 4], data: values(12, -2, 2, 13) },
				{ name: 'a', dtype: 'float32', shape: [2, 3, 4, 5], data: values(120, -1, 1, 14) },
				{ name: 'b', dtype: 'float32', shape: [2, 3, 6, 4], data: values(144, -1, 1, 15) }
			],
			['Softmax', 'LogSoftmax', 'MatMul', 'MatMulT', 'Fused', 'BiasAdd', 'BMM'],
			1e-5
		);
	});
});

describe('shape and indexing ops', () => {
	it('reshapes, squeezes, transposes, concatenates, packs and splits', async () => {
		const shape = i32('shape', [4, -1]);
		const axis0 = i32('axis0', [0], []);
		const axis2 = i32('axis2', [2], []);
		const minus1 = i32('minus1', [-1], []);
		const perm = i32('perm', [2, 0, 1]);
		const sizes = i32('sizes', [1, -1, 2]);
		const begin = i32('begin', [0, 1, 1]);
		const size = i32('size', [-1, 2, 2]);
		const reps = i32('reps', [1, 2, 1]);
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				op('Reshape', 'Reshape', ['x', 'shape']),
				op('ExpandDims', 'ExpandDims', ['x', 'minus1']),
				op('Squeeze', 'Squeeze', ['ExpandDims'], { squeeze_dims: ints(3) }),
				op('Transpose', 'Transpose', ['x', 'perm']),
				op('Concat', 'ConcatV2', ['x', 'x', 'minus1'], { N: { i: '2' } }),
				op('Pack', 'Pack', ['x', 'x'], { axis: { i: '1' }, N: { i: '2' } }),
				op('Unpack', 'Unpack', ['x'], { axis: { i: '1' }, num: { i: '3' } }),
				op('Split', 'Split', ['axis2', 'x'], { num_split: { i: '2' } }),
				op('SplitV', 'SplitV', ['x', 'sizes', 'axis2'], { num_split: { i: '3' } }),
				op('Slice', 'Slice', ['x', 'begin', 'size']),
				op('Tile', 'Tile', ['x', 'reps']),
				op('Cumsum', 'Cumsum', ['x', 'axis0'], { exclusive: { b: true }, reverse: { b: true } })
			],
			[shape, axis0, axis2, minus1, perm, sizes, begin, size, reps],
			[x234],
			[
				'Reshape',
				'Squeeze',
				'Transpose',
				'Concat',
				'Pack',
				'Unpack',
				'Unpack:2',
				'Split:1',
				'SplitV:1',
				'SplitV:2',
				'Slice',
				'Tile',
				'Cumsum'
			]
		);
	});

	it('slices with every StridedSlice mask, a negative stride and an ellipsis', async () => {
		const cases: [string, number[], number[], number[], Record<string, number>][] = [
			['ss_begin_end', [1, 0, 1], [2, 3, 3], [1, 1, 1], { begin_mask: 2, end_mask: 4 }],
			['ss_shrink', [1, 0, -1], [2, 2, 0], [1, 1, 1], { shrink_axis_mask: 5 }],
			['ss_new_axis', [0, 0, 0], [1, 2, 4], [1, 1, 2], { new_axis_mask: 2, begin_mask: 1 }],
			['ss_reverse', [-1, 0, -1], [0, 3, 0], [-1, 1, -2], { end_mask: 5 }],
			['ss_ellipsis', [0, 1], [0, 3], [1, 1], { ellipsis_mask: 1 }]
		];
		const constants = cases.flatMap(([name, b, e, s]) => [
			i32(`${name}/b`, b),
			i32(`${name}/e`, e),
			i32(`${name}/s`, s)
		]);
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				...cases.map(([name, , , , masks]) =>
					op(
						name,
						'StridedSlice',
						['x', `${name}/b`, `${name}/e`, `${name}/s`],
						Object.fromEntries(Object.entries(masks).map(([k, v]) => [k, { i: String(v) }]))
					)
				)
			],
			constants,
			[x234],
			cases.map(([name]) => name)
		);
	});

	it('computes open shapes at run time (Shape, Fill, Range, ZerosLike, BroadcastTo)', async () => {
		const one = constant('one', 'float32', [], [1.5]);
		const start = i32('start', [0], []);
		const step = i32('step', [1], []);
		const zero = i32('zero', [0], []);
		const slice = [i32('b', [0]), i32('e', [1]), i32('s', [1])];
		await checkAgainstTfjs(
			[
				placeholder('v', 'float32', [-1, 3]),
				op('Shape', 'Shape', ['v'], { out_type: { type: 3 } }),
				op('Fill', 'Fill', ['Shape', 'one']),
				op('n', 'StridedSlice', ['Shape', 'b', 'e', 's'], { shrink_axis_mask: { i: '1' } }),
				op('Range', 'Range', ['start', 'n', 'step']),
				op('ZerosLike', 'ZerosLike', ['v']),
				op('OnesLike', 'OnesLike', ['v']),
				op('BroadcastTo', 'BroadcastTo', ['one', 'Shape']),
				op('Size', 'Size', ['v']),
				op('Gathered', 'GatherV2', ['v', 'Range', 'zero'])
			],
			[one, start, step, zero, ...slice],
			[{ name: 'v', dtype: 'float32', shape: [5, 3], data: values(15) }],
			['Shape', 'Fill', 'Range', 'ZerosLike', 'OnesLike', 'BroadcastTo', 'Size', 'Gathered']
		);
	});

	it('gathers, scatters (summing duplicates), densifies and finds non-zeros', async () => {
		const axis1 = i32('axis1', [1], []);
		const picks = i32('picks', [2, 0, 2]);
		const nd = i32('nd', [1, 2, 0, 0, 1, 1], [3, 2]);
		const scatterAt = i32('scatterAt', [0, 2, 0], [3, 1]);
		const scatterShape = i32('scatterShape', [4, 4]);
		const denseShape = i32('denseShape', [3, 5]);
		const fallback = constant('fallback', 'float32', [], [-1]);
		const k = i32('k', [2], []);
		await checkAgainstTfjs(
			[
				placeholder('x', 'float32', [2, 3, 4]),
				placeholder('rows', 'float32', [3, 4]),
				placeholder('at', 'int32', [4, 2]),
				placeholder('vals', 'float32', [4]),
				op('GatherV2', 'GatherV2', ['x', 'picks', 'axis1']),
				op('GatherNd', 'GatherNd', ['x', 'nd']),
				op('ScatterNd', 'ScatterNd', ['scatterAt', 'rows', 'scatterShape']),
				op('SparseToDense', 'SparseToDense', ['at', 'denseShape', 'vals', 'fallback']),
				op('positive', 'Greater', ['rows', 'fallback']),
				op('Where', 'Where', ['positive']),
				op('TopK', 'TopKV2', ['rows', 'k'], { sorted: { b: true } })
			],
			[axis1, picks, nd, scatterAt, scatterShape, denseShape, fallback, k],
			[
				x234,
				{ name: 'rows', dtype: 'float32', shape: [3, 4], data: values(12, -2, 2, 21) },
				{ name: 'at', dtype: 'int32', shape: [4, 2], data: [0, 1, 1, 0, 1, 4, 2, 2] },
				{ name: 'vals', dtype: 'float32', shape: [4], data: [5, 6, 7, 8] }
			],
			['GatherV2', 'GatherNd', 'ScatterNd', 'SparseToDense', 'Where', 'TopK', 'TopK:1']
		);
	});
});
