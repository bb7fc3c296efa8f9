/** `kafka topics`: create the topics the deployment needs. */
import type { Command } from 'commander';
import { ensureTopics } from '../app/kafka.js';
import { config, loadedHandlers, stderrLogger } from './context.js';

export function registerKafka(program: Command): void {
  program
    .command('kafka')
    .description('Kafka administration')
    .command('topics')
    .description(
      'create the order_created, order_approved, contact_created and dead_letter topics, and one per Wix event type your handlers subscribe to, if missing (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR)',
    )
    .option('--handlers <module>', 'a module exporting your handlers (default HANDLERS_MODULE)')
    .action(async (opts: { handlers?: string }) => {
      const cfg = config();
      const extra = (await loadedHandlers(cfg, opts.handlers)).map((h) => h.on);
      if (!cfg.kafka) {
        console.error('kafka topics: set KAFKA_BROKERS');
        process.exit(2);
      }
      const result = await ensureTopics(
        { kafka: cfg.kafka, topicPrefix: cfg.topicPrefix },
        extra,
        stderrLogger(undefined, 'warn'),
      );
      for (const t of result.created) console.log(`created ${t}`);
      for (const t of result.existing) console.log(`exists  ${t}`);
    });
}
