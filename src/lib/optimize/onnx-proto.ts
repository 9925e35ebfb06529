import * as onnxModule from 'onnx-proto';

/**
 * The runtime half of onnx-proto's `onnx` namespace, usable from Node's ESM loader, Vite and
 * vitest alike. The package is CommonJS and fills `module.exports` through a protobufjs root
 * object, so Node cannot detect `onnx` as a named export and `import { onnx }` fails there; the
 * namespace is then found on the default export. Types still come from `import type { onnx }`.
 */
function resolveOnnxNamespace(): typeof onnxModule.onnx {
	const loaded = onnxModule as typeof onnxModule & { default?: typeof onnxModule };
	const namespace = loaded.onnx ?? loaded.default?.onnx;
	if (!namespace) throw new Error('onnx-proto did not export the `onnx` namespace');
	return namespace;
}

export const onnxProto = resolveOnnxNamespace();
