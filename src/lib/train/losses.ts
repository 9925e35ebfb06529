/**
 * Knowledge distillation loss (Hinton et al., 2015): the student matches the teacher's softened
 * probabilities and, with the rest of the weight, the true labels,
 *
 *   loss = alpha * T^2 * KL(softmax(teacher / T) || softmax(student / T))
 *        + (1 - alpha) * CE(labels, softmax(student))
 *
 * The T^2 keeps the soft term's gradient about as large as the hard term's whatever T is.
 */
import { softmaxCrossEntropy, type LossAndGradient } from './mlp';

export interface DistillationSettings {
	/** Softens both distributions; 1 leaves them as they are. */
	temperature: number;
	/** Weight of the teacher term, in [0, 1]; 0 is plain cross-entropy. */
	alpha: number;
}

/** Row-wise log-softmax of logits / temperature, computed stably. */
export function logSoftmax(
	logits: ArrayLike<number>,
	classes: number,
	temperature = 1
): Float64Array {
	const result = new Float64Array(logits.length);
	for (let row = 0; row < logits.length; row += classes) {
		let max = -Infinity;
		for (let c = 0; c < classes; c++)
			max = Math.max(max, (logits[row + c] as number) / temperature);
		let sum = 0;
		for (let c = 0; c < classes; c++)
			sum += Math.exp((logits[row + c] as number) / temperature - max);
		const logSum = max + Math.log(sum);
		for (let c = 0; c < classes; c++)
			result[row + c] = (logits[row + c] as number) / temperature - logSum;
	}
	return result;
}

export function distillationLoss(
	studentLogits: Float64Array,
	teacherLogits: ArrayLike<number>,
	labels: ArrayLike<number>,
	classes: number,
	{ temperature, alpha }: DistillationSettings
): LossAndGradient {
	if (teacherLogits.length !== studentLogits.length) {
		throw new Error(`${teacherLogits.length} teacher logits for ${studentLogits.length} student`);
	}
	const batchSize = studentLogits.length / classes;
	const hard = softmaxCrossEntropy(studentLogits, labels, classes);
	const logStudent = logSoftmax(studentLogits, classes, temperature);
	const logTeacher = logSoftmax(teacherLogits, classes, temperature);
	let divergence = 0;
	const gradient = new Float64Array(studentLogits.length);
	for (let k = 0; k < gradient.length; k++) {
		const teacher = Math.exp(logTeacher[k]!);
		const student = Math.exp(logStudent[k]!);
		if (teacher > 0) divergence += teacher * (logTeacher[k]! - logStudent[k]!);
		// d/dz of T^2 * KL is T * (p_student - p_teacher); hard.gradient is already / batch.
		gradient[k] =
			(alpha * temperature * (student - teacher)) / batchSize + (1 - alpha) * hard.gradient[k]!;
	}
	const soft = (temperature * temperature * divergence) / batchSize;
	return { loss: alpha * soft + (1 - alpha) * hard.loss, gradient };
}
