// A host page's use of Hearth's client: connect, then run a model on this device.
// `?hearth=<folder of hearth-client.js>` loads the client (and so the widget) from another site.
const folder = new URLSearchParams(location.search).get('hearth') ?? new URL('./', import.meta.url);
const { Hearth } = await import(new URL('hearth-client.js', folder).href);

const result = document.getElementById('result');
const button = document.getElementById('compare');

try {
	const hearth = await Hearth.connect(document.getElementById('widget'), { compact: true });
	result.textContent = 'Connected. Press Compare (the model downloads once, 8 MB).';
	button.disabled = false;
	button.addEventListener('click', async () => {
		button.disabled = true;
		try {
			const first = document.getElementById('first').value;
			const second = document.getElementById('second').value;
			const run = await hearth.run(
				{ texts: [first], query: second },
				{
					model: 'glove-embedder',
					onProgress: (p) =>
						(result.textContent = `Loading the model: ${Math.round((100 * p.loadedBytes) / p.totalBytes)}%`)
				}
			);
			result.textContent = `Similarity: ${run.result.scores[0].toFixed(3)} (${run.backend}, ${run.threads} thread(s))`;
		} catch (error) {
			result.textContent = `${error.code}: ${error.message}`;
		} finally {
			button.disabled = false;
		}
	});
} catch (error) {
	result.textContent = `Hearth did not connect: ${error.message}`;
}
