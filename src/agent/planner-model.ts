/**
 * The offline playbook planner as a LangChain chat model, so the very same agent loop drives it
 * and an LLM alike. It "answers" each turn with the tool calls the playbook plans from the
 * transcript so far. It needs no network and is deterministic.
 */
import { BaseChatModel, type BaseChatModelParams } from '@langchain/core/language_models/chat_models';
import { AIMessage, type BaseMessage } from '@langchain/core/messages';
import type { ChatResult } from '@langchain/core/outputs';
import { planNext } from './playbook.js';
import { readTrace } from './trace.js';

export interface PlannerSettings {
  invoiceId: number;
  exceptionCode?: string | null | undefined;
  holdReason?: string | null | undefined;
  apReviewer: string;
  afterSupplierReply?: number | null;
}

export class PlaybookPlannerModel extends BaseChatModel {
  private turn = 0;

  constructor(private readonly settings: PlannerSettings, params: BaseChatModelParams = {}) {
    super(params);
  }

  _llmType(): string {
    return 'settle-playbook-planner';
  }

  /** The agent binds tools; the planner already knows Settle's catalogue, so binding is a copy. */
  override bindTools(): this {
    return new PlaybookPlannerModel(this.settings) as this;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const step = planNext({ ...this.settings, trace: readTrace(messages) });
    this.turn += 1;
    const message =
      'finish' in step
        ? new AIMessage({ content: step.finish })
        : new AIMessage({
            content: '',
            tool_calls: step.calls.map((c, i) => ({ id: `plan_${this.turn}_${i}`, name: c.name, args: c.args, type: 'tool_call' as const })),
          });
    return { generations: [{ message, text: typeof message.content === 'string' ? message.content : '' }] };
  }
}
