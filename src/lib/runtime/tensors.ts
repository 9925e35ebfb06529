import * as ort from 'onnxruntime-web/webgpu';
import type { TensorData, TensorValues } from './protocol';

export function toOrtTensor(tensor: TensorData): ort.Tensor {
	return new ort.Tensor(tensor.dtype, tensor.data as ort.Tensor.DataType, tensor.dims);
}

/**
 * Copies an output out of ORT into a tensor that owns a buffer of its own, so it can be
 * transferred to the page; GPU-resident data is downloaded first.
 */
export async function fromOrtTensor(tensor: ort.Tensor): Promise<TensorData> {
	const raw = (
		tensor.location === 'cpu' ? tensor.data : await tensor.getData(true)
	) as TensorValues;
	const data = Array.isArray(raw) ? [...raw] : (raw.slice() as TensorValues);
	return { dtype: tensor.type as TensorData['dtype'], dims: [...tensor.dims], data };
}
