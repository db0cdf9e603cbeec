import { groupAccuracy } from './group-accuracy';

describe('groupAccuracy', () => {
  it('is 1 when the predicted groups are the truth groups, whatever they are called', () => {
    expect(groupAccuracy(['x', 'x', 'y', 'z'], ['E1', 'E1', 'E2', 'E3'])).toBe(1);
  });

  it('counts no line of a truth group split over two predicted groups', () => {
    // E1 = {0,1,2} is split; E2 = {3} is matched exactly
    expect(groupAccuracy(['a', 'a', 'b', 'c'], ['E1', 'E1', 'E1', 'E2'])).toBe(1 / 4);
  });

  it('counts no line of a predicted group that mixes two truth groups', () => {
    // a = {0,1,2} mixes E1 and E2; b = {3} equals E3
    expect(groupAccuracy(['a', 'a', 'a', 'b'], ['E1', 'E1', 'E2', 'E3'])).toBe(1 / 4);
  });

  it('needs the whole truth group inside one predicted group, not just a pure predicted group', () => {
    // a = {0} and b = {1} are pure but E1 = {0,1}; c = {2,3} equals E2
    expect(groupAccuracy(['a', 'b', 'c', 'c'], ['E1', 'E1', 'E2', 'E2'])).toBe(2 / 4);
  });

  it('is 0 when everything lands in one group over several truths', () => {
    expect(groupAccuracy(['a', 'a', 'a'], ['E1', 'E2', 'E2'])).toBe(0);
  });

  it('is 1 for no lines and refuses lists of different lengths', () => {
    expect(groupAccuracy([], [])).toBe(1);
    expect(() => groupAccuracy(['a'], [])).toThrow(RangeError);
  });
});
