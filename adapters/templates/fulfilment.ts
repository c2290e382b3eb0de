/**
 * Messages of the fulfilment case types (少货, 错货, 运输破损, 质量问题, 丢件, 延误, 查件), in the shape of
 * adapters/templates.ts. One object per case type keeps each type's texts together.
 */
import type { TemplateDef } from './template-def.js';

/** 少货 — missing items. */
export const MISSING_ITEMS_TEMPLATES = {
  remedyChoice: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请选择退款或补发', body: '您好，非常抱歉，您的订单少发了以下商品：{lines}。您可以选择退款或为您补发，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您办理退款。' },
      en: { subject: 'Refund or re-shipment: your choice', body: 'Hello, we are very sorry that these items were missing from your order: {lines}. You can choose a refund or a re-shipment; please tell us by {answerBy}. If we do not hear from you by then, we will refund you.' },
    },
  },
  parcelReshipped: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '商品已为您补发', body: '您好，缺少的商品已为您补发：{carrier} 运单号 {trackingNumber}。我们会跟踪物流直到您签收。' },
      en: { subject: 'Your missing items are on their way', body: 'Hello, we have sent the missing items: {carrier} tracking number {trackingNumber}. We will follow the parcel until you have received it.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/** 延误 — delivery delay. */
export const DELAY_TEMPLATES = {
  /** A delay's parcel the trace shows on its way back to the shop (delay-parcel-turned-back): not late, coming back; an agent contacts them. */
  delayParcelTurnedBack: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '您的包裹正在退回', body: '您好，经查询，您的包裹（{carrier} 运单号 {trackingNumber}）正在退回我们的仓库，不会按原计划送达。客服将尽快与您联系，商量接下来如何处理。' },
      en: { subject: 'Your parcel is coming back to us', body: 'Hello, we checked: your parcel ({carrier} tracking number {trackingNumber}) is on its way back to our warehouse and will not reach you as planned. Our customer service will contact you shortly to agree what happens next.' },
    },
  },
  delayParcelBackAtShop: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '您的包裹已退回我们的仓库', body: '您好，经查询，您的包裹（{carrier} 运单号 {trackingNumber}）未能送达，已退回我们的仓库。客服将尽快与您联系，商量接下来如何处理。' },
      en: { subject: 'Your parcel came back to us', body: 'Hello, we checked: your parcel ({carrier} tracking number {trackingNumber}) could not be delivered and is back at our warehouse. Our customer service will contact you shortly to agree what happens next.' },
    },
  },
  delayExplained: {
    params: { etaAt: 'date' },
    text: {
      'zh-CN': { subject: '包裹配送进度', body: '您好，我们已向快递核实，您的包裹预计于 {etaAt} 前送达。我们会持续跟踪并及时告知您进展。' },
      en: { subject: 'Where your parcel is', body: 'Hello, we checked with the courier: your parcel is expected by {etaAt}. We keep following it and will tell you how it goes.' },
    },
  },
  /** Not late yet, and the courier has no scan of it yet (NO_TRACE): the promised date, without claiming the courier confirmed it. */
  delayExplainedNoTrace: {
    params: { etaAt: 'date' },
    text: {
      'zh-CN': { subject: '包裹配送进度', body: '您好，您的包裹暂时还没有物流信息，按承诺应于 {etaAt} 前送达。我们会持续跟踪；到时仍未送达，我们会向快递查明原因并告知您。' },
      en: { subject: 'Where your parcel is', body: 'Hello, the courier has no tracking information on your parcel yet; it is due by {etaAt} as promised. We keep following it; if it has not arrived by then, we will ask the courier why and tell you.' },
    },
  },
  /** A late parcel whose courier gives no new date (delivery-delay-words): no promise by a time already past. */
  delayNoNewDate: {
    params: {},
    text: {
      'zh-CN': { subject: '包裹配送进度', body: '您好，我们已向快递核实，您的包裹仍在运输途中，快递暂时未能给出新的预计送达时间。我们会持续跟踪，并在有进展时第一时间告知您。' },
      en: { subject: 'Where your parcel is', body: 'Hello, we checked with the courier: your parcel is still on its way, and the courier cannot give a new delivery date yet. We keep following it and will tell you as soon as there is news.' },
    },
  },
  /** The courier shows the parcel delivered when the case opens (delivery-delay-words): said, with what to do if it did not come. */
  delayAlreadyDelivered: {
    params: { deliveredAt: 'date' },
    text: {
      'zh-CN': { subject: '您的包裹已签收', body: '您好，物流信息显示您的包裹已于 {deliveredAt} 签收。如您并未收到，请直接回复本消息，我们会立即为您核查。' },
      en: { subject: 'Your parcel shows as delivered', body: 'Hello, the tracking shows your parcel as delivered on {deliveredAt}. If you have not received it, reply to this message and we will look into it at once.' },
    },
  },
  delayAlreadyDeliveredNoTime: {
    params: {},
    text: {
      'zh-CN': { subject: '您的包裹已签收', body: '您好，物流信息显示您的包裹已签收。如您并未收到，请直接回复本消息，我们会立即为您核查。' },
      en: { subject: 'Your parcel shows as delivered', body: 'Hello, the tracking shows your parcel as delivered. If you have not received it, reply to this message and we will look into it at once.' },
    },
  },
  delayApology: {
    params: { amountMinor: 'money', currency: 'currency' },
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，您的包裹因我方原因延误，非常抱歉。我们已为您补偿 {amountMinor}，并会持续跟踪直至您收到。' },
      en: { subject: 'Our apologies for the delay', body: 'Hello, your parcel is late because of us, and we are very sorry. We have refunded you {amountMinor} as compensation and will follow it until it reaches you.' },
    },
  },
  /**
   * Our own delay with nothing paid for it (the order refunded in full already by its other cases,
   * or a policy that pays no compensation): the apology and the expedite all the same.
   */
  delayApologyExpedited: {
    params: {},
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，您的包裹因我方原因延误，非常抱歉。我们会持续跟踪直至您收到。' },
      en: { subject: 'Our apologies for the delay', body: 'Hello, your parcel is late because of us, and we are very sorry. We will follow it until it reaches you.' },
    },
  },
  /**
   * Our own delay of a parcel delivered by the time its cause was recorded (delay-follows-eta): the
   * compensation for the days it was late, nothing expedited or expected any more.
   */
  delayApologyDelivered: {
    params: { amountMinor: 'money', currency: 'currency', deliveredAt: 'date' },
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，您的包裹因我方原因延误，于 {deliveredAt} 才签收，非常抱歉。我们已为您补偿 {amountMinor}。如您并未收到包裹，请直接回复本消息，我们会立即为您核查。' },
      en: { subject: 'Our apologies for the delay', body: 'Hello, your parcel was late because of us and was only delivered on {deliveredAt}; we are very sorry. We have refunded you {amountMinor} as compensation. If you have not received it, reply to this message and we will look into it at once.' },
    },
  },
  /** The same with nothing paid for it (the order refunded in full already, or a policy that pays none). */
  delayApologyDeliveredNoCompensation: {
    params: { deliveredAt: 'date' },
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，您的包裹因我方原因延误，于 {deliveredAt} 才签收，非常抱歉。如您并未收到包裹，请直接回复本消息，我们会立即为您核查。' },
      en: { subject: 'Our apologies for the delay', body: 'Hello, your parcel was late because of us and was only delivered on {deliveredAt}; we are very sorry. If you have not received it, reply to this message and we will look into it at once.' },
    },
  },
  /** The same, when the courier has given a new delivery date: the customer is told it. */
  delayApologyBy: {
    params: { amountMinor: 'money', currency: 'currency', etaAt: 'date' },
    text: {
      'zh-CN': { subject: '向您致歉', body: '您好，您的包裹因我方原因延误，非常抱歉。我们已为您补偿 {amountMinor}，快递预计于 {etaAt} 前送达，我们会持续跟踪。' },
      en: { subject: 'Our apologies for the delay', body: 'Hello, your parcel is late because of us, and we are very sorry. We have refunded you {amountMinor} as compensation; the courier now expects to deliver it by {etaAt}, and we follow it until then.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/** 货物丢失 — lost parcel. */
export const LOST_PARCEL_TEMPLATES = {
  lostParcelChoice: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '您的包裹丢失了：请选择补发或退款', body: '您好，非常抱歉，您的包裹（{lines}）在运输中丢失。您可以选择为您补发或退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。快递赔偿由我们处理，不会耽误您。' },
      en: { subject: 'Your parcel was lost: re-shipment or refund?', body: 'Hello, we are very sorry: your parcel ({lines}) was lost on its way. You can choose a re-shipment or a refund; please tell us by {answerBy}. If we do not hear from you, we will refund you. We deal with the courier ourselves; you do not have to wait for it.' },
    },
  },
  /**
   * Signed for, but not by the customer, and an agent who checked goes on as lost: the courier says
   * delivered and no claim is made, so neither "lost on its way" nor "we deal with the courier"
   * (lostParcelChoice) is true.
   */
  lostParcelSignedChoice: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '您没有收到包裹：请选择补发或退款', body: '您好，非常抱歉，快递显示您的包裹（{lines}）已签收，但您并未收到。经核查，我们按未收到为您处理：您可以选择为您补发或退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。' },
      en: { subject: 'Your parcel did not reach you: re-shipment or refund?', body: 'Hello, we are very sorry: the courier shows your parcel ({lines}) as signed for, but it did not reach you. We have checked, and treat it as not received: you can choose a re-shipment or a refund; please tell us by {answerBy}. If we do not hear from you, we will refund you.' },
    },
  },
  /** Never left the warehouse (lost-parcel-words): the shop's fault, said so; no courier to deal with. */
  lostParcelNotSentChoice: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '您的包裹未能发出：请选择补发或退款', body: '您好，非常抱歉，经核查，您的包裹（{lines}）因我方原因未能发出。您可以选择为您补发或退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。' },
      en: { subject: 'Your parcel was never sent: re-shipment or refund?', body: 'Hello, we are very sorry: we found that your parcel ({lines}) was never sent, through our own fault. You can choose a re-shipment or a refund; please tell us by {answerBy}. If we do not hear from you, we will refund you.' },
    },
  },
  /**
   * Handed over by the warehouse (with its proof) but never scanned by the courier
   * (lost-parcel-not-received-words): the shop's responsibility, but not "never sent", which the
   * warehouse's own record contradicts.
   */
  lostParcelNotReceivedChoice: {
    params: { lines: 'lines', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '快递公司没有收到您的包裹：请选择补发或退款', body: '您好，非常抱歉，经核查，我方仓库已将您的包裹（{lines}）交寄，但快递公司没有揽收它的记录，责任在我方。您可以选择为您补发或退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。' },
      en: { subject: 'The courier never received your parcel: re-shipment or refund?', body: 'Hello, we are very sorry: our warehouse handed your parcel ({lines}) over for shipping, but the courier has no record of receiving it, and that is our responsibility. You can choose a re-shipment or a refund; please tell us by {answerBy}. If we do not hear from you, we will refund you.' },
    },
  },
  /** The parcel is still moving (lost-parcel-words): followed, and the customer contacted if it has not come by then (a choice, or an agent when it turned back). */
  lostParcelStillMoving: {
    params: { deliveredBy: 'date' },
    text: {
      'zh-CN': { subject: '您的包裹仍在运输中', body: '您好，经核查，物流显示您的包裹仍在运输途中，并未丢失。我们会持续跟踪；如 {deliveredBy} 前仍未送达，我们会与您联系，为您补发或退款。' },
      en: { subject: 'Your parcel is still on its way', body: 'Hello, we checked: the tracking shows your parcel still on its way, not lost. We keep following it; if it has not arrived by {deliveredBy}, we will contact you to send it again or refund you.' },
    },
  },
  /**
   * The parcel given up as lost, reported delivered by its courier before anything was sent again
   * (lost-parcel-delivered-after-loss): an agent confirms with the customer; meanwhile nothing goes out twice.
   */
  lostParcelDeliveredAfterAll: {
    params: { carrier: 'carrier', trackingNumber: 'text', deliveredAt: 'date' },
    text: {
      'zh-CN': { subject: '快递显示您的包裹已签收', body: '您好，快递公司告知，您反映丢失的包裹（{carrier} 运单号 {trackingNumber}）已于 {deliveredAt} 签收。我们的客服会与您联系核实：如您已收到，本次售后即可结束；如未收到，我们将继续为您补发或退款。在此期间，我们暂不补发。' },
      en: { subject: 'The courier says your parcel was delivered', body: 'Hello, the courier tells us that the parcel you reported lost ({carrier}, tracking number {trackingNumber}) was delivered on {deliveredAt}. Our service team will contact you to confirm: if you have it, this request can close; if not, we go on with a re-shipment or a refund for you. Until then, nothing is sent again.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/**
 * A quality problem's discount (quality-problem-words): the goods stay with the customer; declined, a
 * free return with a refund, an exchange or (where the shop repairs) a repair to choose; and what
 * silence does under the policy.
 */
function qualityDiscount(repair: boolean, silenceAccepts: boolean): TemplateDef {
  const choiceZh = repair ? '退款、换货、维修' : '退款、换货';
  const choiceEn = repair ? 'a refund, an exchange or a repair' : 'a refund or an exchange';
  const silenceZh = silenceAccepts ? '逾期未答复视为接受。' : '逾期未答复视为不接受。';
  const silenceEn = silenceAccepts ? 'If we do not hear from you by then, the discount is accepted.' : 'If we do not hear from you by then, we take it that you do not accept.';
  return {
    params: { amountMinor: 'money', currency: 'currency', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '给您的补偿方案', body: `您好，对商品给您带来的困扰我们深表歉意。我们愿意给您 {amountMinor} 的补偿，商品留在您手中，无需寄回；请在 {answerBy} 前告诉我们是否接受。如不接受，我们为您包邮退换（${choiceZh}由您选择）。${silenceZh}` },
      en: { subject: 'What we can offer you', body: `Hello, we are sorry for the trouble with this item. We would like to offer you {amountMinor} as a discount, and you keep the item; please tell us by {answerBy} whether you accept. If not, we take it back, shipping paid both ways, and you choose ${choiceEn}. ${silenceEn}` },
    },
  };
}

/**
 * What a tracking inquiry's trace found, in words (tracking-answer-words): the parcel, then `zh` / `en`;
 * a difficult parcel's subject says it needs checking.
 */
function traceFinding(zh: string, en: string, needsChecking = false): TemplateDef {
  return {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: needsChecking ? '您的包裹需要核查' : '您的包裹物流情况', body: `您好，您的包裹（{carrier} 运单号 {trackingNumber}）${zh}` },
      en: { subject: needsChecking ? 'Your parcel needs checking' : 'Where your parcel is', body: `Hello, your parcel ({carrier}, tracking number {trackingNumber}) ${en}` },
    },
  };
}

/** 质量问题 — quality problem. */
export const QUALITY_TEMPLATES = {
  /** The agent could not yet establish whether the fault came from use (finding UNCONFIRMED): the customer is asked, not left waiting in silence. */
  qualityUsageAsked: {
    params: {},
    text: {
      'zh-CN': { subject: '请补充商品使用情况', body: '您好，为尽快处理您反映的质量问题，我们需要再了解一些情况：商品是如何使用的、问题是什么时候出现的。客服会与您联系；您也可以在售后申请中补充照片。' },
      en: { subject: 'Please tell us more about how the item was used', body: 'Hello, to deal with the quality problem you reported, we need to know a little more: how the item was used and when the problem began. Customer service will contact you; you can also add photos to your after-sales request.' },
    },
  },
  /** Under the quality-problem-words patch: the discount keeps the goods with the customer, says what declining leads to and what silence does (by the policy's proposalDefaultAccept). */
  qualityDiscountSilenceAccepts: qualityDiscount(false, true),
  qualityDiscountSilenceDeclines: qualityDiscount(false, false),
  /** The same where the shop repairs (a repair among the choices). */
  qualityDiscountWithRepairSilenceAccepts: qualityDiscount(true, true),
  qualityDiscountWithRepairSilenceDeclines: qualityDiscount(true, false),
  /**
   * The customer chooses the remedy once the discount is declined (a stage that waited in silence
   * before the quality-problem-words patch): what there is to choose, by when, what silence does, and
   * that the goods go back whichever is chosen.
   */
  qualityRemedyChoice: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请选择退款或换货', body: '您好，我们为您包邮退换：您可以选择退货退款或换货，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。无论选择哪一种，都请将商品寄回，寄回的地址和期限我们随后通知您，往返运费由我们承担。' },
      en: { subject: 'Please choose: a refund or an exchange', body: 'Hello, we take the item back, shipping paid both ways: you can choose a refund or an exchange; please tell us by {answerBy}, otherwise we will refund you. Either way the item comes back to us first: we will tell you where and by when.' },
    },
  },
  qualityRemedyChoiceWithRepair: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请选择退款、换货或维修', body: '您好，我们为您包邮退换：您可以选择退货退款、换货或维修，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。无论选择哪一种，都请将商品寄回，寄回的地址和期限我们随后通知您，往返运费由我们承担。' },
      en: { subject: 'Please choose: a refund, an exchange or a repair', body: 'Hello, we take the item back, shipping paid both ways: you can choose a refund, an exchange or a repair; please tell us by {answerBy}, otherwise we will refund you. Either way the item comes back to us first: we will tell you where and by when.' },
    },
  },
  discountOffered: {
    params: { amountMinor: 'money', currency: 'currency', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '给您的补偿方案', body: '您好，对商品给您带来的困扰我们深表歉意。我们愿意给您 {amountMinor} 的补偿，请在 {answerBy} 前告诉我们是否接受；如不接受，我们为您包邮退换。' },
      en: { subject: 'What we can offer you', body: 'Hello, we are sorry for the trouble with this item. We would like to offer you {amountMinor} as a discount; please tell us by {answerBy} whether you accept. If not, we will take it back or exchange it, shipping paid both ways.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/** 运输破损 — transit damage. */
export const DAMAGE_TEMPLATES = {
  damageRefunded: {
    params: { amountMinor: 'money', currency: 'currency' },
    closing: true,
    text: {
      'zh-CN': { subject: '破损补偿已退款', body: '您好，商品在运输中受损，我们已为您退款 {amountMinor} 作为补偿。下次签收时请先当面验货，如有破损可直接拒收，能更快为您处理。' },
      en: { subject: 'Refunded for the damage', body: 'Hello, your item was damaged on its way; we have refunded you {amountMinor}. Next time, please check the parcel when you sign for it: a damaged parcel can be refused at the door and sorted out faster.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/** 查件 / 催件 — tracking inquiry. */
export const TRACKING_TEMPLATES = {
  traceAnswer: {
    params: { carrier: 'carrier', trackingNumber: 'text', status: 'text' },
    text: {
      'zh-CN': { subject: '您的包裹物流情况', body: '您好，您的包裹（{carrier} 运单号 {trackingNumber}）当前状态：{status}。我们会持续跟踪直到您签收。' },
      en: { subject: 'Where your parcel is', body: 'Hello, your parcel ({carrier}, tracking number {trackingNumber}) is currently: {status}. We keep following it until you have it.' },
    },
  },
  /** Under the tracking-answer-words patch, the trace's answer in words, one message per finding (traceAnswer showed the courier's status code, and told a delivered parcel's customer that it would be followed). */
  traceDelivered: traceFinding('显示已签收。如您并未收到，请回复本消息，我们会立即为您核查。', 'shows as delivered. If you have not received it, reply to this message and we will look into it at once.'),
  traceInTransit: traceFinding('正在运输途中。我们会持续跟踪直到您签收。', 'is on its way. We keep following it until you have it.'),
  traceStalled: traceFinding('的物流信息已多日未更新。我们正在向快递公司核查，并会持续跟踪直到您签收。', 'has had no tracking update for several days. We are checking with the courier and keep following it until you have it.'),
  traceNoTrace: traceFinding('暂时没有物流信息。我们正在向快递公司核查，并会持续跟踪直到您签收。', 'has no tracking information yet. We are checking with the courier and keep following it until you have it.'),
  traceSignedByOther: traceFinding('显示已由他人签收。我们正在核查签收情况，客服会尽快与您联系。', 'shows as signed for by someone else. We are checking who took it, and our customer service will contact you shortly.', true),
  traceDamaged: traceFinding('在运输中受损。我们正在与快递公司处理，客服会尽快与您联系。', 'was damaged on its way. We are dealing with the courier, and our customer service will contact you shortly.', true),
  traceMisdelivered: traceFinding('被派送到了错误的地址。我们正在与快递公司处理，客服会尽快与您联系。', 'was delivered to the wrong address. We are dealing with the courier, and our customer service will contact you shortly.', true),
  traceRefusedOrUnreachable: traceFinding('未能派送（被拒收或无法联系收件人）。客服会尽快与您联系，商定包裹的后续处理。', 'could not be delivered (refused, or the recipient could not be reached). Our customer service will contact you shortly to agree with you what happens to it.', true),
  urgeWait: {
    params: { promisedShipBy: 'date' },
    text: {
      'zh-CN': { subject: '您的订单即将发货', body: '您好，您的订单会在承诺时间 {promisedShipBy} 前发出，请您耐心等待，发货后我们会第一时间通知您。' },
      en: { subject: 'Your order will ship soon', body: 'Hello, your order will leave by the promised time, {promisedShipBy}. We will tell you as soon as it has shipped.' },
    },
  },
  /** Urged about an order the warehouse says was cancelled (urge-order-cancelled): it never ships; said instead of "shipping now". */
  urgeOrderCancelled: {
    params: { orderId: 'text' },
    text: {
      'zh-CN': { subject: '您的订单已取消', body: '您好，经核实，您的订单 {orderId} 已取消，不会再发货。如您已付款但尚未收到退款，请联系客服，我们会为您核实。' },
      en: { subject: 'Your order was cancelled', body: 'Hello, we checked: your order {orderId} was cancelled and will not be shipped. If you paid for it and have not had your money back, please contact our customer service and we will look into it.' },
    },
  },
  /** Urged about an order that left after its promised ship time (urge-shipped-late-apology): sorry first; where it is comes next. */
  urgeShippedLateApology: {
    params: {},
    text: {
      'zh-CN': { subject: '抱歉，您的订单发货晚了', body: '您好，非常抱歉，您的订单没有在承诺的时间内发出。包裹已经发出，物流情况我们马上告诉您。' },
      en: { subject: 'Sorry, your order left late', body: 'Hello, we are very sorry: your order did not ship by the time we promised. It has left since, and we tell you where it is right away.' },
    },
  },
  urgeApology: {
    params: {},
    text: {
      'zh-CN': { subject: '抱歉，您的订单发货晚了', body: '您好，非常抱歉，您的订单没有在承诺时间内发出。我们已安排立即发货，发出后马上告诉您运单号。' },
      en: { subject: 'Sorry, your order is late', body: 'Hello, we are very sorry: your order did not ship by the time we promised. It is being shipped now, and we will send you the tracking number as soon as it leaves.' },
    },
  },
  /**
   * The order that was shipped late, now on its way (urge-shipped-told): the tracking number
   * urgeApology promised. Before, the trace was read the same second it left, found empty, and
   * the customer told "no tracking information, we are checking with the courier".
   */
  urgeShipped: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '您的订单已发出', body: '您好，您的订单已发出：{carrier} 运单号 {trackingNumber}。快递公司揽收扫描后即可查到物流信息，我们会跟踪物流直到您签收。' },
      en: { subject: 'Your order is on its way', body: 'Hello, your order has been sent: {carrier} tracking number {trackingNumber}. Its tracking shows once the courier has scanned it in; we will follow the parcel until you have received it.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

/** 错货 — wrong item. */
export const WRONG_ITEM_TEMPLATES = {
  wrongItemExplained: {
    params: { sku: 'item' },
    closing: true,
    text: {
      'zh-CN': { subject: '关于您收到的商品', body: '您好，我们核对了您收到的商品条码，与您订单中的商品（{sku}）一致。如对商品有其他疑问，欢迎随时联系我们。' },
      en: { subject: 'About the item you received', body: 'Hello, we checked the barcode of the item you received: it is the one you ordered ({sku}). If anything else is not right with it, contact us at any time.' },
    },
  },
  wrongItemChoice: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '发错货了，非常抱歉', body: '您好，非常抱歉给您发错了商品。您可以选择为您补发正确的商品，或者退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。往返运费由我们承担。' },
      en: { subject: 'We sent the wrong item: sorry', body: 'Hello, we are very sorry that we sent you the wrong item. You can choose to have the right one sent or a refund; please tell us by {answerBy}, otherwise we will refund you. We pay the shipping both ways.' },
    },
  },
  /**
   * Under the wrong-item-words patch: the wrong item's discount is to keep the goods at that price;
   * declined or unanswered, they stay as a gift and the customer chooses the right goods or a refund
   * (discountOffered, the quality problem's, promised a return or exchange instead).
   */
  wrongItemDiscountOffered: {
    params: { amountMinor: 'money', currency: 'currency', answerBy: 'date' },
    text: {
      'zh-CN': { subject: '发错货的补偿方案', body: '您好，非常抱歉给您发错了商品。如您愿意保留收到的商品，我们补偿您 {amountMinor}；请在 {answerBy} 前告诉我们是否接受。如不接受或逾期未答复，收到的商品无需寄回、赠送给您，我们会再请您选择补发正确的商品或退款。' },
      en: { subject: 'We sent the wrong item: our offer', body: 'Hello, we are very sorry that we sent you the wrong item. If you would like to keep it, we offer you {amountMinor} back; please tell us by {answerBy} whether you accept. If you decline, or we do not hear from you by then, you keep the item as a gift, nothing needs to be sent back, and we will ask you to choose between the right item and a refund.' },
    },
  },
  /** The choice when the wrong goods go back first, whichever is chosen (the ask for them follows). */
  wrongItemChoiceSendBack: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '发错货了，非常抱歉', body: '您好，非常抱歉给您发错了商品。您可以选择为您补发正确的商品，或者退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。无论选择哪一种，都请先将收到的商品寄回，寄回的地址和期限我们随后通知您，寄回运费由我们承担。' },
      en: { subject: 'We sent the wrong item: sorry', body: 'Hello, we are very sorry that we sent you the wrong item. You can choose to have the right one sent or a refund; please tell us by {answerBy}, otherwise we will refund you. Either way, the item you received comes back to us first: we will tell you where and by when, and we pay for sending it.' },
    },
  },
  /** The choice when the wrong goods stay with the customer (the discount was declined): nothing to send. */
  wrongItemChoiceKeep: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '请选择补发或退款', body: '您好，收到的商品无需寄回，赠送给您。您可以选择为您补发正确的商品，或者退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。' },
      en: { subject: 'Please choose: the right item or a refund', body: 'Hello, the item you received is yours to keep; nothing needs to be sent back. You can choose to have the right one sent or a refund; please tell us by {answerBy}, otherwise we will refund you.' },
    },
  },
  /**
   * Under the wrong-item-no-zero-discount patch, the first thing the customer hears when the wrong
   * goods are not worth sending back and no discount is owed for keeping them: sorry, they are a
   * gift, and the choice of the right goods or a refund (the choice without an offer before it).
   */
  wrongItemChoiceGift: {
    params: { answerBy: 'date' },
    text: {
      'zh-CN': { subject: '发错货了，非常抱歉', body: '您好，非常抱歉给您发错了商品。收到的商品无需寄回，赠送给您。您可以选择为您补发正确的商品，或者退款，请在 {answerBy} 前告诉我们；逾期未选择，我们将为您退款。' },
      en: { subject: 'We sent the wrong item: sorry', body: 'Hello, we are very sorry that we sent you the wrong item. It is yours to keep as our gift; nothing needs to be sent back. You can choose to have the right one sent or a refund; please tell us by {answerBy}, otherwise we will refund you.' },
    },
  },
  /** The same when the order has nothing left to refund (its other cases paid it all back): the right goods are sent, nothing is asked. */
  wrongItemGiftReship: {
    params: { lines: 'lines' },
    text: {
      'zh-CN': { subject: '发错货了，非常抱歉', body: '您好，非常抱歉给您发错了商品。收到的商品无需寄回，赠送给您；您订购的商品（{lines}）我们将为您补发，发出后告知您物流单号。' },
      en: { subject: 'We sent the wrong item: sorry', body: 'Hello, we are very sorry that we sent you the wrong item. It is yours to keep as our gift; nothing needs to be sent back. We will send you what you ordered ({lines}) and tell you its tracking number once it is on its way.' },
    },
  },
  /** The same when nothing ordered is missing (goods came in addition): they are a gift, and nothing is asked. */
  wrongItemGiftKept: {
    params: { lines: 'lines' },
    closing: true,
    text: {
      'zh-CN': { subject: '多发的商品赠送给您', body: '您好，我们多发给您的商品（{lines}）无需寄回，赠送给您，您订单中的商品不受影响。' },
      en: { subject: 'The extra goods are yours to keep', body: 'Hello, the goods we sent you in addition to your order ({lines}) are yours to keep as our gift; nothing needs to be sent back, and your order is not affected.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;

export const FULFILMENT_TEMPLATES = { ...MISSING_ITEMS_TEMPLATES, ...DELAY_TEMPLATES, ...LOST_PARCEL_TEMPLATES, ...QUALITY_TEMPLATES, ...DAMAGE_TEMPLATES, ...TRACKING_TEMPLATES, ...WRONG_ITEM_TEMPLATES } as const satisfies Record<string, TemplateDef>;
