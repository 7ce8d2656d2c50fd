import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBrowserNetworkStatus } from './browserNetworkStatus.js';

afterEach(() => vi.unstubAllGlobals());

describe('createBrowserNetworkStatus', () => {
  it('is always online, and never calls back, without a window', () => {
    expect(typeof window).toBe('undefined');
    const status = createBrowserNetworkStatus();
    const listener = vi.fn();
    expect(status.isOnline()).toBe(true);
    status.subscribe(listener)();
    expect(listener).not.toHaveBeenCalled();
  });

  it('follows navigator.onLine and the window online/offline events until unsubscribed', () => {
    const target = new EventTarget();
    const navigatorStub = { onLine: true };
    vi.stubGlobal('window', target);
    vi.stubGlobal('navigator', navigatorStub);
    const status = createBrowserNetworkStatus();
    const heard: boolean[] = [];
    const unsubscribe = status.subscribe((online) => heard.push(online));
    expect(status.isOnline()).toBe(true);
    navigatorStub.onLine = false;
    target.dispatchEvent(new Event('offline'));
    expect(status.isOnline()).toBe(false);
    navigatorStub.onLine = true;
    target.dispatchEvent(new Event('online'));
    unsubscribe();
    target.dispatchEvent(new Event('offline'));
    expect(heard).toStrictEqual([false, true]);
  });
});
