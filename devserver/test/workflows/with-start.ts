/** Workflows of update-with-start and eager start (`update-with-start.test.ts`, `eager-start.test.ts`). */
import { condition, defineQuery, defineSignal, defineUpdate, setHandler, workflowInfo } from '@temporalio/workflow';

export interface Cart {
  owner: string;
  items: string[];
  total: number;
  /** History length seen by the first `addItem` (3 when the workflow's first task carried it). */
  firstItemAtHistoryLength?: number;
}

/** Adds an item and answers the new total; the validator refuses a negative price. */
export const addItemUpdate = defineUpdate<number, [string, number]>('addItem');
export const checkoutSignal = defineSignal('checkout');
export const cartQuery = defineQuery<Cart>('cart');

/** A shopping cart, typically opened by its first item (update-with-start); completes on `checkout`. */
export async function cartWorkflow(owner: string): Promise<Cart> {
  const cart: Cart = { owner, items: [], total: 0 };
  let checkedOut = false;
  setHandler(
    addItemUpdate,
    (name, price) => {
      cart.firstItemAtHistoryLength ??= workflowInfo().historyLength;
      cart.items.push(name);
      cart.total += price;
      return cart.total;
    },
    {
      validator: (name, price) => {
        if (price < 0) throw new Error(`negative price for ${name}: ${price}`);
      },
    },
  );
  setHandler(checkoutSignal, () => {
    checkedOut = true;
  });
  setHandler(cartQuery, () => cart);
  await condition(() => checkedOut);
  return cart;
}
