/** The site's sections, in navigation order. Pages join this list as they land. */
export interface NavItem {
	path:
		| '/'
		| '/models'
		| '/import'
		| '/run'
		| '/optimize'
		| '/train'
		| '/compare'
		| '/monitor'
		| '/docs';
	label: string;
}

export const NAV_ITEMS: NavItem[] = [
	{ path: '/', label: 'Home' },
	{ path: '/models', label: 'Models' },
	{ path: '/import', label: 'Import' },
	{ path: '/run', label: 'Run' },
	{ path: '/optimize', label: 'Optimize' },
	{ path: '/train', label: 'Train' },
	{ path: '/compare', label: 'Compare' },
	{ path: '/monitor', label: 'Monitor' },
	{ path: '/docs', label: 'Docs' }
];
