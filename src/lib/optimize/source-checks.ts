/**
 * What an optimization's source must be: a float model. Quantizing integer weights again, or
 * starting from weights already rounded to float16, would only add error, so both are refused
 * with the way out (choose the float32 variant).
 */
import type { onnx } from 'onnx-proto';
import { AlreadyHalfPrecisionError, AlreadyQuantizedError } from './errors';
import { graphsOf, inspectModel } from './onnx-inspect';

/** Ops that only quantized graphs contain. */
export const QUANTIZED_OPS = new Set([
	'DequantizeLinear',
	'QuantizeLinear',
	'DynamicQuantizeLinear',
	'MatMulInteger',
	'ConvInteger',
	'QLinearConv',
	'QLinearMatMul',
	'MatMulNBits',
	'MatMulIntegerToFloat',
	'DynamicQuantizeMatMul',
	'QGemm',
	'QAttention',
	'GatherBlockQuantized',
	'MatMulBnb4'
]);

/** Refuses graphs whose weights are already integers or half precision. */
export function checkFloatModel(model: onnx.IModelProto, fileName: string): void {
	const counts = new Map<string, number>();
	for (const graph of model.graph ? graphsOf(model.graph) : []) {
		for (const node of graph.node ?? []) {
			if (QUANTIZED_OPS.has(node.opType ?? '')) {
				counts.set(node.opType!, (counts.get(node.opType!) ?? 0) + 1);
			}
		}
	}
	if (counts.size > 0) {
		throw new AlreadyQuantizedError(
			fileName,
			[...counts].map(([op, n]) => `${n} ${op}`)
		);
	}
	const byDtype = inspectModel(model, 0).byDtype;
	const bytesOf = (dtype: string) => byDtype.find((entry) => entry.dtype === dtype)?.bytes ?? 0;
	if (bytesOf('float16') > bytesOf('float32')) throw new AlreadyHalfPrecisionError(fileName);
}
