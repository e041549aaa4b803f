import { ReadOnlyStoreError } from '../errors.js';
import { ForwardingView } from './ForwardingView.js';

/**
 * Reads pass through; put and delete throw ReadOnlyStoreError; commit and flush have nothing
 * to do. Closing the view closes the base (an agent pool shares one and closes it itself).
 */
export class ReadOnlyView extends ForwardingView {
  override get readOnly(): true {
    return true;
  }

  override put(): void {
    throw new ReadOnlyStoreError('ReadOnlyView');
  }

  override delete(): boolean {
    throw new ReadOnlyStoreError('ReadOnlyView');
  }

  override commit(): void {}

  override flush(): void {}
}
