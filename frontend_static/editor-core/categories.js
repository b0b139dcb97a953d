// The dataset's categories and attribute definitions as every editor reads them from editor_config.

/**
 * {categories, categoriesById, imageDefinitions} of `config.dataset.task_attributes`.
 * @param {any} config editor_config
 * @returns {{categories: any[], categoriesById: Map<number, any>, imageDefinitions: any[]}}
 */
export function categoriesOf(config) {
  const taskAttributes = config.dataset.task_attributes || {};
  const categories = taskAttributes.categories || [];
  return {
    categories,
    categoriesById: new Map(categories.map((category) => [category.id, category])),
    imageDefinitions: taskAttributes.image_attributes || [],
  };
}

/**
 * The frame actions every sequence component shares, for `frames` = {index, count, setFrame(index)}.
 * @param {{index: () => number, count: () => number, setFrame: (index: number) => unknown}} frames
 * @returns {Record<string, () => unknown>}
 */
export function frameActions(frames) {
  return {
    "frame-previous": () => frames.setFrame(frames.index() - 1),
    "frame-next": () => frames.setFrame(frames.index() + 1),
    "frame-first": () => frames.setFrame(0),
    "frame-last": () => frames.setFrame(frames.count() - 1),
  };
}
