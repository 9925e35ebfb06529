import { base } from '$app/paths';
import { errorMessage } from '$lib/errors';

const ISOLATION_RELOAD_KEY = 'hearth-reloaded-for-isolation';

/**
 * The app's offline side, for the layout to show: whether the browser is online, whether a new
 * version is waiting, and whether the service worker could be installed at all (it cannot in a
 * third-party iframe or some private windows; Hearth then works online only, and says so).
 */
export class AppStatus {
	online = $state(true);
	updateReady = $state(false);
	offlineReady = $state(false);
	serviceWorkerError = $state<string | null>(null);
	private waiting: ServiceWorker | null = null;
	private updating = false;

	start(): () => void {
		this.online = navigator.onLine;
		const setOnline = () => (this.online = navigator.onLine);
		addEventListener('online', setOnline);
		addEventListener('offline', setOnline);
		void this.register();
		return () => {
			removeEventListener('online', setOnline);
			removeEventListener('offline', setOnline);
		};
	}

	/** Lets the waiting version take over; the page reloads when it has. */
	applyUpdate(): void {
		if (!this.waiting) return;
		this.updating = true;
		this.waiting.postMessage({ type: 'skip-waiting' });
	}

	private async register(): Promise<void> {
		const container = navigator.serviceWorker;
		if (!container) return;
		container.addEventListener('controllerchange', () => {
			if (this.updating) location.reload();
			else this.reloadForIsolation();
		});
		try {
			const registration = await container.register(`${base}/service-worker.js`, {
				scope: `${base}/`
			});
			this.watchForUpdates(registration);
			await container.ready;
			this.offlineReady = true;
			this.reloadForIsolation();
		} catch (error) {
			this.serviceWorkerError = errorMessage(error);
		}
	}

	private watchForUpdates(registration: ServiceWorkerRegistration): void {
		const consider = (worker: ServiceWorker | null) => {
			// A worker waiting while another controls the page is a new version, not the first install.
			if (worker && navigator.serviceWorker.controller) {
				this.waiting = worker;
				this.updateReady = true;
			}
		};
		consider(registration.waiting);
		registration.addEventListener('updatefound', () => {
			const installing = registration.installing;
			installing?.addEventListener('statechange', () => {
				if (installing.state === 'installed') consider(installing);
			});
		});
	}

	/**
	 * A host that sends no COOP/COEP gives an unisolated first load; once the service worker
	 * controls the page it adds them, so one reload gives threads. Only once per tab, in case
	 * something else (a browser policy) keeps the page unisolated.
	 */
	private reloadForIsolation(): void {
		if (crossOriginIsolated || !navigator.serviceWorker.controller) return;
		if (sessionStorage.getItem(ISOLATION_RELOAD_KEY)) return;
		sessionStorage.setItem(ISOLATION_RELOAD_KEY, '1');
		location.reload();
	}
}
